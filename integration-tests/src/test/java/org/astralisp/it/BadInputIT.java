package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.AstraImage;
import org.astralisp.it.container.BundleTable;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input at the console gets a specific error and changes nothing: after
 * each, the bundle table is what it was and the console still answers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT {

    private static final String PLAIN_LIBRARY = "plain-library";
    private static final Pattern UPTIME = Pattern.compile("up \\d+:\\d\\d:\\d\\d\\.\\d{3}, (\\d+) of (\\d+) bundles active");

    @Deployment(name = PLAIN_LIBRARY, managed = false, testable = false)
    static JavaArchive plainLibrary() {
        return TestBundles.plainLibrary();
    }

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    private AstraConsole console;

    @ArquillianResource
    private AstraImage image;

    private BundleTable before;

    @BeforeEach
    void recordBundles() {
        before = console.bundles();
    }

    @AfterEach
    void systemIsUnchangedAndAnswers() {
        assertEquals(before, console.bundles());
        String uptime = console.run("uptime");
        assertTrue(UPTIME.matcher(uptime).matches(), "uptime answered: " + uptime);
    }

    @Test
    void installOfAFileThatIsNotAJarIsRejected() {
        Path manifest = image.resolve("conf/boot.manifest");

        assertEquals("install: " + manifest.toUri() + ": not a jar (no zip entries)",
                console.run("install " + AstraConsole.quote(manifest.toString())));
    }

    @Test
    void installOfAMissingFileIsRejected() {
        Path missing = image.resolve("bundles/no-such-bundle.jar");

        assertEquals("install: " + missing + ": no such file", console.run("install " + AstraConsole.quote(missing.toString())));
    }

    @Test
    void installOfAJarThatIsNotABundleIsRejected() {
        DeploymentException refused = assertThrows(DeploymentException.class, () -> deployer.deploy(PLAIN_LIBRARY));

        assertTrue(refused.getMessage().matches("plain-library\\.jar not deployed: install: file:/\\S+/plain-library\\.jar: "
                + Pattern.quote("not an OSGi bundle (its manifest has no Bundle-SymbolicName)")), refused.getMessage());
    }

    @Test
    void updateOfABundleIdThatDoesNotExistIsRejected() {
        long absent = before.rows().stream().mapToLong(BundleTable.Row::id).max().orElseThrow() + 1000;
        Path counter = image.resolve("bundles/samples/counter-2.0.0.jar");

        assertEquals("update: no bundle with id " + absent,
                console.run("update " + absent + " " + AstraConsole.quote(counter.toString())));
    }
}

package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.BundleTable;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bundle that imports a package nobody exports installs, but {@code start}
 * refuses it and names the missing package; the rest of the system carries on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MissingDependencyIT {

    private static final String UNRESOLVABLE = "unresolvable";
    private static final String GREETING = "greeting";
    private static final Pattern NOT_STARTED = Pattern.compile(Pattern.quote("unresolvable.jar not deployed: start: "
            + TestBundles.UNRESOLVABLE + " 1.0.0 [") + "\\d+" + Pattern.quote(
            "] not started: cannot resolve: missing package org.astralisp.it.testbundles.absent"));

    @Deployment(name = UNRESOLVABLE, managed = false, testable = false)
    static JavaArchive unresolvable() {
        return TestBundles.unresolvable();
    }

    @Deployment(name = GREETING, managed = false, testable = false)
    static JavaArchive greeting() {
        return TestBundles.greeting();
    }

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    private AstraConsole console;

    @Test
    void startOfABundleWithAMissingPackageNamesThePackage() {
        DeploymentException refused = assertThrows(DeploymentException.class, () -> deployer.deploy(UNRESOLVABLE));

        assertTrue(NOT_STARTED.matcher(refused.getMessage()).matches(), refused.getMessage());
    }

    @Test
    void bundlesStayActiveAfterABundleFailsToResolve() {
        BundleTable before = console.bundles();

        assertThrows(DeploymentException.class, () -> deployer.deploy(UNRESOLVABLE));

        assertEquals(before, console.bundles());
        assertTrue(before.rows().stream().allMatch(row -> row.state().equals("ACTIVE")), before.toString());
    }

    @Test
    void goodBundleStillInstallsAndStartsAfterABundleFailsToResolve() {
        assertThrows(DeploymentException.class, () -> deployer.deploy(UNRESOLVABLE));

        deployer.deploy(GREETING);
        try {
            assertEquals("ACTIVE", console.bundles().find(TestBundles.GREETING).orElseThrow().state());
            assertEquals("hello, Ada", console.run("greet Ada"));
        } finally {
            deployer.undeploy(GREETING);
        }
    }
}

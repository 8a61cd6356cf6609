package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.BundleTable;
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
 * A bundle's life cycle at the console: deployed (installed and started) it is
 * ACTIVE and its command answers; stopped, its command is gone; uninstalled, the
 * bundle is gone.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BundleLifecycleIT {

    private static final String GREETING = "greeting";
    private static final String UNKNOWN_GREET = "greet: unknown command (type help for the list)";

    @Deployment(name = GREETING, managed = false, testable = false)
    static JavaArchive greeting() {
        return TestBundles.greeting();
    }

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    private AstraConsole console;

    private BundleTable.Row bundle;

    @BeforeEach
    void deployGreeting() {
        deployer.deploy(GREETING);
        bundle = console.bundles().find(TestBundles.GREETING)
                .orElseThrow(() -> new AssertionError("deployed, but not in the bundle table"));
    }

    @AfterEach
    void undeployGreeting() {
        deployer.undeploy(GREETING);
    }

    @Test
    void deployedBundleIsActiveAtItsVersion() {
        assertEquals("ACTIVE", bundle.state());
        assertEquals("1.0.0", bundle.version());
    }

    @Test
    void contributedCommandAnswersWhileItsBundleIsActive() {
        assertEquals("hello, Ada", console.run("greet Ada"));
    }

    @Test
    void contributedCommandReportsItsOwnUsageErrors() {
        assertEquals("greet: usage: greet NAME", console.run("greet"));
    }

    @Test
    void contributedCommandIsUnknownAfterItsBundleStops() {
        assertEquals("stopped " + TestBundles.GREETING + " 1.0.0 [" + bundle.id() + "]", console.run("stop " + bundle.id()));

        assertEquals(UNKNOWN_GREET, console.run("greet Ada"));
        assertEquals("RESOLVED", console.bundles().find(bundle.id()).orElseThrow().state());
    }

    @Test
    void restartedBundleAnswersAgain() {
        console.run("stop " + bundle.id());

        assertEquals("started " + TestBundles.GREETING + " 1.0.0 [" + bundle.id() + "]", console.run("start " + bundle.id()));
        assertEquals("hello, Ada", console.run("greet Ada"));
    }

    @Test
    void uninstalledBundleIsGoneFromTheBundleTable() {
        assertEquals("uninstalled " + TestBundles.GREETING + " 1.0.0 [" + bundle.id() + "]",
                console.run("uninstall " + bundle.id()));

        BundleTable after = console.bundles();
        assertTrue(after.find(TestBundles.GREETING).isEmpty(), "still listed: " + after);
        assertTrue(after.find(bundle.id()).isEmpty(), "id still listed: " + after);
        assertEquals(UNKNOWN_GREET, console.run("greet Ada"));
    }
}

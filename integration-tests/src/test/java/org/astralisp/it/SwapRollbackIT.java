package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.astralisp.it.CounterLoadClient.LoadReport;
import org.astralisp.it.archive.BundleWrapper;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.AstraImage;
import org.astralisp.it.testbundles.unresolvable.AbsentServiceCommand;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A swap to a version that cannot start is rolled back: the version that was
 * running serves again, with the count it had, and the console says so.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SwapRollbackIT {

    private static final String LOAD_CLIENT = "counter-load";
    private static final String NOT_STARTED = "update: new version " + SampleCounter.NAME + " 3.0.0 did not start"
            + " (cannot resolve: missing package org.astralisp.it.testbundles.absent); rolled back to ";

    @Deployment(name = LOAD_CLIENT, managed = false, testable = false)
    static JavaArchive counterLoad() {
        return TestBundles.counterLoad();
    }

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    private AstraConsole console;

    @ArquillianResource
    private AstraImage image;

    @TempDir
    Path jars;

    private SampleCounter counter;
    private CounterLoadClient load;

    @BeforeEach
    void installCounterAndClient() {
        counter = SampleCounter.install(console, image);
        deployer.deploy(LOAD_CLIENT);
        load = new CounterLoadClient(console);
    }

    @AfterEach
    void uninstallCounterAndClient() {
        deployer.undeploy(LOAD_CLIENT);
        counter.close();
    }

    /** Version 3.0.0 of the counter bundle that imports a package nobody exports, so it cannot start. */
    private Path unstartableCounter() {
        Path jar = jars.resolve("counter-3.0.0-unstartable.jar");
        BundleWrapper.wrap(ShrinkWrap.create(JavaArchive.class, jar.getFileName().toString())
                        .addPackage(AbsentServiceCommand.class.getPackage()), SampleCounter.NAME, "3.0.0")
                .as(ZipExporter.class).exportTo(jar.toFile());
        return jar;
    }

    /** Counts a little, so that there is state to lose. */
    private long count() throws InterruptedException {
        load.start();
        load.awaitCalls(1000, Duration.ofSeconds(20));
        LoadReport counted = load.stop();
        assertEquals(0, counted.failures(), counted.text());
        return counted.lastValue();
    }

    @Test
    void swapToAVersionThatCannotStartRollsBackToTheRunningVersionWithItsCount() throws InterruptedException {
        long count = count();

        String reply = counter.update(unstartableCounter());

        assertEquals(NOT_STARTED + SampleCounter.NAME + " 1.0.0 [" + counter.id() + "], which is active again", reply);
        assertEquals(new CounterLoadClient.Probe(count, "counter 1.0.0"), load.probe());
        assertEquals("1.0.0", console.bundles().find(counter.id()).orElseThrow().version());
    }

    @Test
    void rollbackAfterAnEarlierSwapRestoresTheVersionThatWasRunning() throws InterruptedException {
        assertTrue(counter.update(counter.imageJar("bundles/samples/counter-2.0.0.jar")).startsWith("swapped "));
        long count = count();

        String reply = counter.update(unstartableCounter());

        assertEquals(NOT_STARTED + SampleCounter.NAME + " 2.0.0 [" + counter.id() + "], which is active again", reply);
        assertEquals("2.0.0", console.bundles().find(counter.id()).orElseThrow().version());
        // The state went through two handovers: 1.0.0 -> 2.0.0, and 2.0.0 -> (3.0.0 failed) -> 2.0.0 again.
        assertEquals(new CounterLoadClient.Probe(count, "counter 2.0.0 (2 swaps survived)"), load.probe());
    }
}

package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.astralisp.it.CounterLoadClient.LoadReport;
import org.astralisp.it.CounterLoadClient.Phase;
import org.astralisp.it.CounterLoadClient.Probe;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.AstraImage;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hot swap of the sample counter from 1.0.0 to 2.0.0 while a client bundle
 * calls {@code Counter.increment()} in a tight loop through
 * {@code SwapSafeService}: the client sees no failure, no increment is lost or
 * doubled, and afterwards 2.0.0 answers with the whole count.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HotSwapUnderLoadIT {

    private static final String LOAD_CLIENT = "counter-load";
    /** Calls the load makes before the swap, and again after it: the swap happens mid-stream, and the load goes on. */
    private static final long CALLS_EACH_SIDE = 20_000;
    /** Load before the swap, so that the client is compiled and its stalls are not mistaken for the swap's. */
    private static final Duration WARM_UP = Duration.ofMillis(500);
    private static final Duration LOAD_PATIENCE = Duration.ofSeconds(20);
    private static final Pattern SWAPPED = Pattern.compile(Pattern.quote("swapped " + SampleCounter.NAME + " 1.0.0 [")
            + "\\d+" + Pattern.quote("] -> " + SampleCounter.NAME + " 2.0.0 [") + "\\d+"
            + Pattern.quote("] in ") + "([\\d.]+)" + Pattern.quote(" ms (state handed over: sample.counter)"));
    private static final Pattern MACHINE = Pattern.compile("AstraLisp OS \\S+ \\((\\w+),.*");

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

    @Test
    void hotSwapUnderLoadLosesNoCallAndNoIncrement() throws InterruptedException {
        try (SampleCounter counter = SampleCounter.install(console, image)) {
            deployer.deploy(LOAD_CLIENT);
            try {
                CounterLoadClient load = new CounterLoadClient(console);
                assertEquals(0, load.start());
                Thread.sleep(WARM_UP.toMillis());
                load.awaitCalls(CALLS_EACH_SIDE, LOAD_PATIENCE);
                load.mark("swap");

                String swap = counter.update(counter.imageJar("bundles/samples/counter-2.0.0.jar"));

                load.mark("after");
                Matcher swapped = SWAPPED.matcher(swap);
                assertTrue(swapped.matches(), "update answered: " + swap);
                LoadReport swapDone = load.status();
                Thread.sleep(WARM_UP.toMillis());
                load.awaitCalls(swapDone.calls() + CALLS_EACH_SIDE, LOAD_PATIENCE);
                LoadReport end = load.stop();
                Probe probe = load.probe();
                report(swapped.group(1), end);
                assertAll(
                        () -> assertEquals(0, end.failures(), "failed calls: " + end.text()),
                        () -> assertEquals(end.baseline() + end.calls(), end.lastValue(),
                                "the last increment returned a value other than baseline + calls: " + end.text()),
                        () -> assertEquals(end.baseline() + end.calls(), probe.value(),
                                "Counter.value() after the swap: " + end.text()),
                        () -> assertEquals("counter 2.0.0 (1 swap survived)", probe.implementation()),
                        () -> assertTrue(end.phase("swap").calls() > 0 && end.phase("after").calls() > 0,
                                "the load did not run through the swap: " + end.text()));
            } finally {
                deployer.undeploy(LOAD_CLIENT);
            }
        }
    }

    /**
     * Prints the figures of the swap. The service gap is the longest call that began while the update ran;
     * the longest calls before and after it show how much of that is the swap and how much the usual stalls.
     */
    private void report(String swapMillis, LoadReport end) {
        Matcher machine = MACHINE.matcher(console.bootTranscript().lines().findFirst().orElse(""));
        Phase before = end.phase("start");
        Phase during = end.phase("swap");
        Phase after = end.phase("after");
        System.out.printf("hot swap under load (%s): update took %s ms; service gap (longest call begun during the"
                        + " update) %d us; longest call before it %d us, after it %d us; calls %d before, %d during,"
                        + " %d after; %d failures%n",
                machine.matches() ? machine.group(1) : "?", swapMillis, during.maxWaitMicros(), before.maxWaitMicros(),
                after.maxWaitMicros(), before.calls(), during.calls(), after.calls(), end.failures());
    }
}

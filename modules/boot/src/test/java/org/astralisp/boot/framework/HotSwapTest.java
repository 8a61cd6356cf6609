package org.astralisp.boot.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.boot.BootedSystem;
import org.astralisp.boot.TestImage;
import org.astralisp.boot.spi.Handover;
import org.astralisp.boot.spi.HandoverException;
import org.astralisp.boot.spi.HandoverState;
import org.astralisp.boot.spi.SwapSafeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Hot swap of the sample counter (1.0.0 to 2.0.0) in a real framework, under
 * load, and the ways a swap is refused or rolled back without losing state.
 */
class HotSwapTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private TestImage image;
    private BootedSystem system;
    private BundleContext context;
    private Bundle counterBundle;
    private SwapSafeService<Object> counter;
    private MethodHandle increment;
    private MethodHandle value;
    private MethodHandle implementation;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void bootWithTheCounter() throws Exception {
        image = TestImage.create(dir, TestImage.SCR_MANIFEST + """
                level 2
                bundle bundles/sample-counter-api.jar
                bundle bundles/sample-counter.jar
                """);
        system = image.boot(out);
        context = system.host().context();
        counterBundle = find("org.astralisp.sample.counter");
        // The test class path does not have the API: take the interface from the API bundle.
        Class<?> type = find("org.astralisp.sample.counter.api").loadClass("org.astralisp.sample.counter.api.Counter");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        increment = lookup.findVirtual(type, "increment", MethodType.methodType(long.class));
        value = lookup.findVirtual(type, "value", MethodType.methodType(long.class));
        implementation = lookup.findVirtual(type, "implementation", MethodType.methodType(String.class));
        counter = new SwapSafeService<>(context, (Class<Object>) type, Duration.ofSeconds(10));
    }

    @AfterEach
    void shutdown() {
        counter.close();
        system.shutdown();
    }

    private Bundle find(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    private Object call(MethodHandle method) {
        return counter.call(service -> {
            try {
                return method.invoke(service);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private boolean update(Path jar) {
        out.reset();
        return system.monitor().execute("update " + counterBundle.getBundleId() + " " + jar);
    }

    /** What reached the host through the console UART, with the tty's CR LF as LF. */
    private String console() {
        system.drainConsole();
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void aClientInATightLoopSeesNoFailureAndNoLostIncrementAcrossTheSwap() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        AtomicLong maxWaitNanos = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread client = new Thread(() -> {
            long expected = 1;
            while (running.get() && failure.get() == null) {
                long began = System.nanoTime();
                try {
                    long got = (Long) call(increment);
                    if (got != expected) {
                        throw new AssertionError("increment " + expected + " answered " + got);
                    }
                    expected++;
                    calls.incrementAndGet();
                } catch (Throwable e) {
                    failure.set(e);
                }
                maxWaitNanos.accumulateAndGet(System.nanoTime() - began, Math::max);
            }
        }, "counter-client");
        client.start();
        Thread.sleep(300);
        long before = calls.get();
        assertTrue(update(image.bundle("sample-counter-next.jar")), console());
        Thread.sleep(300);
        running.set(false);
        client.join(10_000);

        assertEquals(null, failure.get(), "the client saw a failure");
        assertTrue(before > 1000, "the client was not running hot before the swap: " + before + " calls");
        assertTrue(calls.get() > before, "the client made no calls after the swap");
        assertEquals(calls.get(), (Long) call(value), "the count lost increments");
        assertEquals("counter 2.0.0 (1 swap survived)", call(implementation));
        assertEquals("2.0.0", counterBundle.getVersion().toString());
        assertTrue(console().matches("swapped org\\.astralisp\\.sample\\.counter 1\\.0\\.0 \\[\\d+] -> "
                + "org\\.astralisp\\.sample\\.counter 2\\.0\\.0 \\[\\d+] in [\\d.]+ ms \\(state handed over: sample\\.counter\\)\\n"),
                console());
        System.out.printf("hot swap under load: %d calls, service gap (longest call) %.2f ms%n",
                calls.get(), maxWaitNanos.get() / 1e6);
    }

    @Test
    void onlyTheSwappedBundleIsRestarted() throws Exception {
        Bundle api = find("org.astralisp.sample.counter.api");
        Bundle scr = find("org.apache.felix.scr");
        long apiModified = api.getLastModified();
        long scrModified = scr.getLastModified();
        call(increment);
        assertTrue(update(image.bundle("sample-counter-next.jar")), console());
        assertEquals(apiModified, api.getLastModified());
        assertEquals(scrModified, scr.getLastModified());
        assertEquals(Bundle.ACTIVE, api.getState());
        assertEquals(2L, call(increment));
    }

    @Test
    void swappingBackHandsTheStateOverAgain() throws Exception {
        call(increment);
        assertTrue(update(image.bundle("sample-counter-next.jar")), console());
        call(increment);
        assertTrue(update(image.bundle("sample-counter.jar")), console());
        assertEquals("counter 1.0.0", call(implementation));
        assertEquals(3L, call(increment));
    }

    @Test
    void aNewVersionThatCannotStartIsRolledBackWithItsStateIntact() throws Exception {
        call(increment);
        call(increment);
        Path broken = TestImage.manifestOnlyBundle(dir.resolve("counter-3.jar"), "org.astralisp.sample.counter", "3.0.0",
                "Import-Package", "org.nowhere");
        assertTrue(!update(broken));
        assertEquals("update: new version org.astralisp.sample.counter 3.0.0 did not start (cannot resolve: missing package "
                + "org.nowhere); rolled back to org.astralisp.sample.counter 1.0.0 [" + counterBundle.getBundleId()
                + "], which is active again\n", console());
        assertEquals("1.0.0", counterBundle.getVersion().toString());
        assertEquals(3L, call(increment));
    }

    @Test
    void aFailedSwapAfterAnEarlierOneRollsBackToTheVersionThatWasRunning() throws Exception {
        call(increment);
        assertTrue(update(image.bundle("sample-counter-next.jar")), console());
        Path broken = TestImage.manifestOnlyBundle(dir.resolve("counter-3.jar"), "org.astralisp.sample.counter", "3.0.0",
                "Import-Package", "org.nowhere");
        assertTrue(!update(broken));
        assertTrue(console().contains("rolled back to org.astralisp.sample.counter 2.0.0"), console());
        assertEquals("2.0.0", counterBundle.getVersion().toString());
        assertEquals("counter 2.0.0 (2 swaps survived)", call(implementation));
        assertEquals(2L, call(increment));
    }

    @Test
    void aFailedSwapWhoseOldJarIsGoneKeepsTheStateForTheNextStart() throws Exception {
        Path copy = java.nio.file.Files.copy(image.bundle("sample-counter.jar"), dir.resolve("counter-copy.jar"));
        counterBundle.uninstall();
        Bundle other = context.installBundle(copy.toUri().toString());
        other.start();
        counterBundle = other;
        call(increment);
        java.nio.file.Files.delete(copy);
        Path broken = TestImage.manifestOnlyBundle(dir.resolve("counter-3.jar"), "org.astralisp.sample.counter", "3.0.0",
                "Import-Package", "org.nowhere");
        assertTrue(!update(broken));
        assertTrue(console().contains("; cannot roll back (the jar of org.astralisp.sample.counter 1.0.0 ["
                + other.getBundleId() + "] is no longer at its location); handed-over state is kept"), console());
        assertEquals(Bundle.INSTALLED, other.getState(), "the broken version is installed, not active");
        assertTrue(update(image.bundle("sample-counter-next.jar")), console());
        assertTrue(system.monitor().execute("start " + other.getBundleId()));
        assertEquals(2L, call(increment));
    }

    @Test
    void aComponentThatRefusesToQuiesceKeepsTheOldVersionRunning() throws Exception {
        Bundle stateful = context.installBundle(TestImage.manifestOnlyBundle(dir.resolve("stateful-1.jar"),
                "org.example.stateful", "1.0.0").toUri().toString());
        stateful.start();
        Handover willing = Mockito.mock(Handover.class);
        Mockito.when(willing.handoverKey()).thenReturn("willing");
        Mockito.when(willing.quiesce()).thenReturn(HandoverState.builder("w", 1).build());
        Handover refusing = Mockito.mock(Handover.class);
        Mockito.when(refusing.handoverKey()).thenReturn("refusing");
        Mockito.when(refusing.quiesce()).thenThrow(new HandoverException("3 requests still queued"));
        stateful.getBundleContext().registerService(Handover.class, willing, null);
        stateful.getBundleContext().registerService(Handover.class, refusing, null);

        HotSwapCoordinator coordinator = new HotSwapCoordinator(context, new DepositedHandovers(), Duration.ofSeconds(5));
        BundleArchive next = BundleArchive.load(TestImage.manifestOnlyBundle(dir.resolve("stateful-2.jar"),
                "org.example.stateful", "2.0.0").toString());
        SwapException e = assertThrows(SwapException.class, () -> coordinator.swap(stateful.getBundleId(), next));
        assertEquals("refusing refused to quiesce (3 requests still queued); swap abandoned, old version kept", e.getMessage());
        Mockito.verify(willing).resume();
        assertEquals("1.0.0", stateful.getVersion().toString());
        assertEquals(Bundle.ACTIVE, stateful.getState());
    }

    @Test
    void aComponentThatNeverQuiescesAbandonsTheSwapAfterTheTimeout() throws Exception {
        Bundle stateful = context.installBundle(TestImage.manifestOnlyBundle(dir.resolve("slow-1.jar"),
                "org.example.slow", "1.0.0").toUri().toString());
        stateful.start();
        Handover slow = Mockito.mock(Handover.class);
        Mockito.when(slow.handoverKey()).thenReturn("slow");
        Mockito.when(slow.quiesce()).thenAnswer(invocation -> {
            Thread.sleep(5_000);
            return HandoverState.builder("s", 1).build();
        });
        stateful.getBundleContext().registerService(Handover.class, slow, null);
        HotSwapCoordinator coordinator = new HotSwapCoordinator(context, new DepositedHandovers(), Duration.ofMillis(200));
        BundleArchive next = BundleArchive.load(TestImage.manifestOnlyBundle(dir.resolve("slow-2.jar"),
                "org.example.slow", "2.0.0").toString());
        SwapException e = assertThrows(SwapException.class, () -> coordinator.swap(stateful.getBundleId(), next));
        assertEquals("slow did not quiesce within 200 ms; swap abandoned, old version kept", e.getMessage());
        assertEquals("1.0.0", stateful.getVersion().toString());
    }

    @Test
    void theFrameworkItselfCannotBeSwapped() {
        HotSwapCoordinator coordinator = new HotSwapCoordinator(context, new DepositedHandovers(), Duration.ofSeconds(1));
        BundleArchive any = new BundleArchive("x", "org.apache.felix.framework", "8.0.0", new byte[0]);
        assertEquals("bundle 0 is the framework itself and cannot be swapped",
                assertThrows(SwapException.class, () -> coordinator.swap(0, any)).getMessage());
    }

    @Test
    void aStateIsClaimedOnce() {
        DepositedHandovers registry = new DepositedHandovers();
        registry.deposit("k", HandoverState.builder("f", 1).build());
        assertEquals(java.util.Set.of("k"), registry.pending());
        assertTrue(registry.claim("k").isPresent());
        assertTrue(registry.claim("k").isEmpty());
        assertTrue(registry.pending().isEmpty());
    }

    @Test
    void referenceLocationsReadFromTheirFile() {
        assertEquals("file:/img/x.jar", HotSwapCoordinator.locationPath("reference:file:/img/x.jar"));
        assertEquals("file:/img/x.jar", HotSwapCoordinator.locationPath("file:/img/x.jar"));
    }
}

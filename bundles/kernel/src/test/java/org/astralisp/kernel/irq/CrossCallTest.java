package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.astralisp.kernel.irq.KernelOnMachine.cpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.kernel.api.irq.CpuStoppedException;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cross calls over the real IPIs of each machine, from a vCPU and from a thread that is not one. */
class CrossCallTest {

    private KernelOnMachine kernel;

    @AfterEach
    void powerOff() throws InterruptedException {
        kernel.close();
    }

    private InterruptFramework boot(Architecture architecture) throws InterruptedException {
        kernel = new KernelOnMachine(architecture);
        return kernel.start();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void fromAnotherThreadItRunsOnEveryTargetAndReturnsWhenAllHave(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        Map<Integer, String> ranOn = new ConcurrentHashMap<>();
        framework.crossCall().runOn(cpus(0, 1), cpu -> {
            sleep(20);
            ranOn.put(cpu, Thread.currentThread().getName());
        });
        assertEquals(Map.of(0, "vcpu0", 1, "vcpu1"), new TreeMap<>(ranOn), "returned before every target ran it");
        assertEquals(1, framework.snapshot().crossCalls()[1]);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void fromAVcpuTheCallerRunsItInlineAndTheOthersByIpi(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        List<String> ranOn = new CopyOnWriteArrayList<>();
        AtomicBoolean interruptsOffInline = new AtomicBoolean();
        kernel.onCpu(0, caller -> framework.runOn(cpus(0, 1), cpu -> {
            if (cpu == 0) {
                interruptsOffInline.set(!kernel.machine.cpus().getFirst().interruptsEnabled());
            } else {
                sleep(50); // the caller's own run finishes first: it must still wait for this one
            }
            ranOn.add(cpu + ":" + Thread.currentThread().getName());
        }));
        assertEquals(List.of("0:vcpu0", "1:vcpu1"), ranOn.stream().sorted().toList());
        assertTrue(interruptsOffInline.get(), "the inline run is in interrupt context, interrupts disabled");
        InterruptSnapshot counters = framework.snapshot();
        assertEquals(1, counters.ipis()[1], "CPU 1 took one IPI");
        assertEquals(0, counters.ipis()[0], "the caller sent itself none");
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void twoCpusCallingEachOtherFromInterruptContextDoNotDeadlock(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        AtomicInteger inner = new AtomicInteger();
        // Each CPU, inside a cross call (interrupts disabled), cross-calls the other one.
        framework.runOn(cpus(0, 1), cpu -> framework.runOn(cpus(1 - cpu), other -> inner.incrementAndGet()));
        assertEquals(2, inner.get());
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "X86_64")
    void anActionThatThrowsIsReportedToTheCallerAfterEveryTargetRan(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> framework.runOn(cpus(0, 1), cpu -> {
            ran.incrementAndGet();
            if (cpu == 1) {
                throw new IllegalArgumentException("no TLB entry");
            }
        }));
        assertEquals("cross call: the action threw on CPU 1: java.lang.IllegalArgumentException: no TLB entry",
                e.getMessage());
        assertEquals(2, ran.get());
        framework.runOn(cpus(1), cpu -> ran.incrementAndGet());
        assertEquals(3, ran.get(), "CPU 1 goes on");
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "RISCV64")
    void aCpuThatDoesNotExistOrAStoppedFrameworkIsRefused(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> framework.runOn(cpus(0, 2), cpu -> { }));
        assertEquals("cross call to CPU 2: no such CPU (CPUs are 0..1)", missing.getMessage());
        framework.runOn(new BitSet(), cpu -> {
            throw new AssertionError("no target");
        });
        framework.stop(KernelOnMachine.WAIT);
        CpuStoppedException stopped = assertThrows(CpuStoppedException.class,
                () -> framework.runOn(cpus(1), cpu -> { }));
        assertEquals("cross call to CPUs {1}: the interrupt framework is not running", stopped.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "PPC64")
    void thresholdsAreSetOnTheirOwnCpuAndRangesAreChecked(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        framework.setThreshold(1, 7);
        assertEquals(7, framework.threshold(1));
        assertEquals(0, framework.threshold(0));
        kernel.onCpu(1, cpu -> framework.setThreshold(1, 0));
        assertEquals(0, framework.threshold(1));
        assertEquals("threshold 8 of CPU 0 is outside 0..7",
                assertThrows(IllegalArgumentException.class, () -> framework.setThreshold(0, 8)).getMessage());
        assertEquals("CPU 2 does not exist (CPUs are 0..1)",
                assertThrows(IllegalArgumentException.class, () -> framework.threshold(2)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void tickListenersHearTheTimerOfTheCpuThatArmedIt(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        List<Integer> ticks = new CopyOnWriteArrayList<>();
        framework.addTickListener(ticks::add);
        kernel.onCpu(1, cpu -> kernel.timers.stream().filter(t -> t.cpu() == 1).findFirst().orElseThrow()
                .oneShot(1_000_000));
        await("the tick on CPU 1", () -> ticks.size() == 1);
        assertEquals(List.of(1), ticks);
        assertEquals(1, framework.snapshot().timer()[1]);
        framework.removeTickListener(ticks::add);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

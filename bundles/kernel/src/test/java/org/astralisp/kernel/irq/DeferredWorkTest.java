package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.astralisp.kernel.irq.KernelOnMachine.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.CpuStoppedException;
import org.astralisp.kernel.api.irq.DeferredWork;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.port.Cpu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deferred work (the bottom half) on each machine, scheduled by the RTC's handler. */
class DeferredWorkTest {

    private KernelOnMachine kernel;

    @AfterEach
    void powerOff() throws InterruptedException {
        kernel.close();
    }

    /**
     * The handler schedules the work twice; the work's first run re-arms the
     * alarm and reaches a safepoint: the new interrupt is taken inside it —
     * which needs the first one completed (EOI) and interrupts enabled — and
     * its handler's schedule runs the work once more, after the first run, not
     * inside it.
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void runsAfterTheEoiWithInterruptsEnabledOnceWhenScheduledTwiceAndNestedInterruptsWait(Architecture architecture)
            throws Exception {
        kernel = new KernelOnMachine(architecture);
        InterruptFramework framework = kernel.start();
        Cpu cpu0 = kernel.machine.cpus().getFirst();
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicReference<DeferredWork> work = new AtomicReference<>();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        work.set(framework.deferredWork("rtc-bottom-half", () -> {
            int run = runs.incrementAndGet();
            trace.add("work " + run + " begins, interrupts " + (cpu0.interruptsEnabled() ? "on" : "off") + ", on "
                    + Thread.currentThread().getName());
            if (run == 1) {
                kernel.raiseRtc();
                cpu0.pollInterrupts();
            }
            trace.add("work " + run + " ends");
        }));
        InterruptRegistration rtc = framework.request(
                new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 0), c -> {
                    kernel.clearRtc();
                    trace.add("handler " + handled.incrementAndGet());
                    work.get().schedule();
                    work.get().schedule();
                });
        kernel.raiseRtc();
        await("two runs of the work", () -> runs.get() == 2);
        settle();
        assertEquals(List.of("handler 1", "work 1 begins, interrupts on, on vcpu0", "handler 2", "work 1 ends",
                "work 2 begins, interrupts on, on vcpu0", "work 2 ends"), trace);
        assertEquals(2, rtc.count(0));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void scheduledOnAVcpuOutsideInterruptsItRunsAtOnceAndFromAnotherThreadOnCpu0(Architecture architecture)
            throws Exception {
        kernel = new KernelOnMachine(architecture);
        InterruptFramework framework = kernel.start();
        List<String> ranOn = new CopyOnWriteArrayList<>();
        DeferredWork work = framework.deferredWork("note", () -> ranOn.add(Thread.currentThread().getName()));
        work.schedule();
        await("the work on CPU 0", () -> ranOn.size() == 1);
        assertEquals(List.of("vcpu0"), ranOn);
        kernel.onCpu(1, cpu -> {
            work.schedule();
            ranOn.add("returned");
        });
        assertEquals(List.of("vcpu0", "vcpu1", "returned"), ranOn, "at once on the vCPU that scheduled it");
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "RISCV64")
    void workThatThrowsIsLoggedAndTheQueueGoesOn(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        InterruptFramework framework = kernel.start();
        AtomicInteger after = new AtomicInteger();
        DeferredWork bad = framework.deferredWork("bad", () -> {
            throw new IllegalStateException("bottom half bug");
        });
        DeferredWork good = framework.deferredWork("good", after::incrementAndGet);
        try (KernelLog log = KernelLog.of(InterruptFramework.class)) {
            framework.request(new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 0), c -> {
                kernel.clearRtc();
                bad.schedule();
                good.schedule();
            });
            kernel.raiseRtc();
            await("the good work after the bad", () -> after.get() == 1);
            assertTrue(log.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                    && e.getFormattedMessage().equals("CPU 0: deferred work bad threw")), log.events().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "PPC64")
    void aStoppedFrameworkRefusesWork(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        InterruptFramework framework = kernel.start();
        DeferredWork work = framework.deferredWork("late", () -> { });
        framework.stop(KernelOnMachine.WAIT);
        CpuStoppedException e = assertThrows(CpuStoppedException.class, work::schedule);
        assertEquals("deferred work late: CPU 0 is stopped", e.getMessage());
    }
}

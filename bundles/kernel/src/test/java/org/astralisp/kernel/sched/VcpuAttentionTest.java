package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.irq.TickListener;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.testing.Eventually;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interrupt framework still reaches a vCPU that runs a thread: host
 * threads' cross calls and stops, and interrupt handlers that must not yield.
 */
@Timeout(60)
class VcpuAttentionTest {

    @Test
    void aCrossCallFromAHostThreadReachesAVcpuBusyWithOneThread() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong spins = new AtomicLong();
            KernelThread spinner = kernel.start(0, "spinner", () -> {
                while (!stop.get()) {
                    spins.incrementAndGet();
                    Safepoint.poll();
                }
            });
            while (spins.get() == 0) {
                Thread.onSpinWait();
            }
            long start = System.nanoTime();
            BitSet cpu0 = new BitSet();
            cpu0.set(0);
            AtomicReference<String> ranOn = new AtomicReference<>();
            kernel.framework.crossCall().runOn(cpu0, cpu -> ranOn.set(Thread.currentThread().getName()));
            long micros = (System.nanoTime() - start) / 1000;
            assertEquals("vcpu0", ranOn.get());
            assertTrue(micros < 1_000_000, "the cross call took " + micros + " µs");
            stop.set(true);
            awaitEnd(spinner);
        }
    }

    @Test
    void aStopReachesAVcpuBusyWithAThreadWhichStaysRunnable() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicBoolean stop = new AtomicBoolean();
            KernelThread spinner = kernel.start(0, "spinner", () -> {
                while (!stop.get()) {
                    Safepoint.poll();
                }
            });
            Eventually.eventually("the spinner runs", () -> spinner.state() == State.RUNNING);
            assertEquals(List.of(), kernel.framework.stop(Duration.ofSeconds(5)), "every vCPU stopped");
            assertEquals(State.RUNNABLE, spinner.state(), "left in its run queue, not run to completion");
            stop.set(true);
        }
    }

    @Test
    void aTickListenerCannotYieldTheInterruptedThread() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicReference<Throwable> refused = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            TickListener yielding = cpu -> {
                if (KernelThread.current() != null && refused.get() == null) {
                    Safepoint.poll(); // no yield in interrupt context: returns
                    try {
                        KernelThread.yield();
                    } catch (IllegalStateException e) {
                        refused.set(e);
                    }
                }
            };
            kernel.framework.addTickListener(yielding);
            try {
                KernelThread a = kernel.start(0, "a", () -> {
                    while (!stop.get()) {
                        Safepoint.poll();
                    }
                });
                KernelThread b = kernel.start(0, "b", () -> {
                    while (!stop.get()) {
                        Safepoint.poll();
                    }
                });
                Eventually.eventually("a tick interrupts a thread", () -> refused.get() != null);
                stop.set(true);
                awaitEnd(a);
                awaitEnd(b);
            } finally {
                kernel.framework.removeTickListener(yielding);
            }
            String message = assertInstanceOf(IllegalStateException.class, refused.get()).getMessage();
            assertTrue(message.matches("yield of kernel thread '[ab]' on CPU 0 in interrupt context: an interrupt"
                    + " handler must not block or yield"), message);
        }
    }
}

package org.astralisp.hal.ppc64.irq;

import org.astralisp.hal.api.irq.testing.RunningMachine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decrementer on the real ppc64 machine model: generous upper bounds, exact lower bounds. */
class DecrementerTest {

    private static final long MILLIS = 1_000_000L;

    private RunningMachine running;
    private XiveInterruptController controller;
    private List<Timer> timers;

    @BeforeEach
    void boot() {
        running = new RunningMachine(Architecture.PPC64, 2);
        controller = new XiveInterruptController(running.machine.firmware(), running.machine.mmio());
        timers = Decrementers.create(running.machine.firmware(), running.machine.cpus());
    }

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void countsTheTimeBase() {
        assertEquals(512_000_000L, timers.getFirst().frequency());
        assertEquals(1, timers.get(1).cpu());
    }

    @Test
    void oneShotFiresOnceOnItsCpuNoSooner() throws InterruptedException {
        AtomicLong armed = new AtomicLong();
        running.start(controller, timers, Map.of(1, cpu -> {
            armed.set(System.nanoTime());
            timers.get(1).oneShot(20 * MILLIS);
        }));
        running.await("the one-shot", () -> running.count(1, Interrupt.TIMER) == 1);
        long elapsed = running.timerTimes().getFirst() - armed.get();
        assertTrue(elapsed >= 20 * MILLIS && elapsed < 2_000 * MILLIS, elapsed + " ns");
        Thread.sleep(60);
        assertEquals(1, running.count(1, Interrupt.TIMER));
        assertEquals(0, running.count(0, Interrupt.TIMER));
    }

    @Test
    void periodicFiresRepeatedly() throws InterruptedException {
        AtomicLong armed = new AtomicLong();
        running.start(controller, timers, Map.of(0, cpu -> {
            armed.set(System.nanoTime());
            timers.getFirst().periodic(5 * MILLIS);
        }));
        running.await("five periods", () -> running.count(0, Interrupt.TIMER) >= 5);
        List<Long> times = running.timerTimes();
        long fifth = times.get(4) - armed.get();
        assertTrue(fifth >= 5 * 5 * MILLIS && fifth < 2_000 * MILLIS, "the fifth period ended after " + fifth + " ns");
        assertEquals(0, running.count(1, Interrupt.TIMER));
    }

    @Test
    void cancelDisarms() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> {
            timers.getFirst().oneShot(30 * MILLIS);
            timers.getFirst().cancel();
        }));
        Thread.sleep(100);
        assertEquals(0, running.count(0, Interrupt.TIMER));
    }

    @Test
    void nowFollowsTheTimeBase() throws InterruptedException {
        long host = System.nanoTime();
        long before = timers.getFirst().now();
        Thread.sleep(30);
        long elapsed = timers.get(1).now() - before;
        long hostElapsed = System.nanoTime() - host;
        assertTrue(elapsed > 25 * MILLIS && elapsed < hostElapsed + 5 * MILLIS, elapsed + " ns vs " + hostElapsed);
    }

    @Test
    void refusesIntervalsItCannotCount() {
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().oneShot(0));
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().periodic(-1));
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().oneShot(5_000 * MILLIS));
    }

    @Test
    void aDisarmedDecrementerThatWrapsIsNoExpiry() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> {
            timers.getFirst().cancel();
            cpu.writeSystemRegister(Decrementer.DEC, -1);
            cpu.pollInterrupts();
        }));
        running.await("the ignored decrementer", () -> running.count(0, Interrupt.SPURIOUS) == 1);
        assertEquals(0, running.count(0, Interrupt.TIMER));
    }
}

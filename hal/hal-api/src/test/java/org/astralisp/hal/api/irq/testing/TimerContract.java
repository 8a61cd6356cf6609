package org.astralisp.hal.api.irq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every arch bundle's {@link Timer} does on its real machine model
 * (2 CPUs): generous upper bounds, exact lower bounds. Each arch bundle's test
 * extends it with its driver and adds what is particular to its chip.
 */
public abstract class TimerContract {

    protected static final long MILLIS = 1_000_000L;

    protected RunningMachine running;
    protected InterruptController controller;
    protected List<Timer> timers;

    protected abstract Architecture architecture();

    protected abstract InterruptController controller(Machine machine);

    protected abstract List<Timer> timers(Machine machine);

    @BeforeEach
    void boot() {
        running = new RunningMachine(architecture(), 2);
        controller = controller(running.machine);
        timers = timers(running.machine);
    }

    @AfterEach
    void powerOff() {
        running.close();
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

    /** {@link Timer#now()}: one clock for all CPUs, following the host's. */
    @Test
    void nowFollowsTheClockCommonToAllCpus() throws InterruptedException {
        long host = System.nanoTime();
        long before = timers.getFirst().now();
        Thread.sleep(30);
        long elapsed = timers.get(1).now() - before;
        long hostElapsed = System.nanoTime() - host;
        assertTrue(elapsed > 25 * MILLIS && elapsed < hostElapsed + 5 * MILLIS, elapsed + " ns vs " + hostElapsed);
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().oneShot(0));
    }
}

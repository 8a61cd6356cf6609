package org.astralisp.machine.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerSchedulerTest {

    private final TimerScheduler timers = new TimerScheduler();

    @AfterEach
    void close() {
        timers.close();
    }

    @Test
    void alarmGoesOffOnceNoEarlierThanItsDeadline() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        long[] firedAt = new long[1];
        Alarm alarm = timers.alarm(() -> {
            firedAt[0] = System.nanoTime();
            count.incrementAndGet();
            fired.countDown();
        });
        long deadline = System.nanoTime() + 20_000_000L;
        alarm.arm(deadline);
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertTrue(firedAt[0] - deadline >= 0, "went off before its deadline");
        Thread.sleep(50);
        assertEquals(1, count.get());
        assertFalse(alarm.armed());
    }

    @Test
    void aDeadlineInThePastGoesOffAtOnce() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        timers.alarm(fired::countDown).arm(System.nanoTime() - 1_000_000_000L);
        assertTrue(fired.await(5, TimeUnit.SECONDS));
    }

    @Test
    void rearmingReplacesThePreviousDeadline() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Alarm alarm = timers.alarm(fired::countDown);
        alarm.arm(System.nanoTime() + 60_000_000_000L);
        alarm.arm(System.nanoTime() + 10_000_000L);
        assertEquals(1, timers.armedDeadlines());
        assertTrue(fired.await(5, TimeUnit.SECONDS));
    }

    @Test
    void disarmedAlarmNeverGoesOffAndLeavesNoDeadline() throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        Alarm alarm = timers.alarm(count::incrementAndGet);
        alarm.arm(System.nanoTime() + 10_000_000L);
        assertTrue(alarm.armed());
        alarm.disarm();
        assertEquals(0, timers.armedDeadlines());
        Thread.sleep(50);
        assertEquals(0, count.get());
    }

    @Test
    void alarmsArmedAfterCloseStaySilent() throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        Alarm alarm = timers.alarm(count::incrementAndGet);
        timers.close();
        alarm.arm(System.nanoTime());
        assertFalse(alarm.armed());
        Thread.sleep(20);
        assertEquals(0, count.get());
    }

    @Test
    void anExceptionInAnExpiryGoesToTheUncaughtExceptionHandler() throws InterruptedException {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("expiry failed");
        Alarm alarm = timers.alarm(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((thread, e) -> {
                reported.set(e);
                done.countDown();
            });
            throw failure;
        });
        alarm.arm(System.nanoTime());
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertSame(failure, reported.get());
    }
}

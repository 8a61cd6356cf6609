package org.astralisp.machine.irq;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The one thread that keeps every timer deadline of a machine (the APIC timers, the CLINT's
 * {@code mtimecmp}s, the decrementers). Each timer owns an {@link Alarm}; when its deadline
 * passes, the alarm's action runs here and typically kicks a vCPU.
 *
 * <p>Built on a {@link ScheduledThreadPoolExecutor} with one daemon thread and
 * remove-on-cancel: with no alarm armed the queue is empty and the thread is parked in the
 * queue's {@code take()}, so an idle machine costs no CPU; re-arming an alarm removes its
 * previous deadline from the queue, so the queue never holds more than one entry per alarm.
 * Closing it (machine power-off) drops every deadline; alarms armed afterwards stay silent.
 */
public final class TimerScheduler implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    public TimerScheduler() {
        ThreadFactory daemon = task -> {
            Thread thread = new Thread(task, "machine-timers");
            thread.setDaemon(true);
            return thread;
        };
        executor = new ScheduledThreadPoolExecutor(1, daemon);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** A new, disarmed alarm that runs {@code expiry} on the timer thread when it goes off. */
    public Alarm alarm(Runnable expiry) {
        return new Alarm(executor, expiry);
    }

    /** The number of deadlines queued now: one per armed alarm (for tests and the monitor). */
    public int armedDeadlines() {
        return executor.getQueue().size();
    }

    /** Stops the timer thread and drops all deadlines. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}

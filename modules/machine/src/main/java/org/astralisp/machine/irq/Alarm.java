package org.astralisp.machine.irq;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One re-armable deadline of one timer, kept by a {@link TimerScheduler}.
 *
 * <p>Invariant: at most one deadline is queued; {@link #arm} replaces the previous one and
 * {@link #disarm} removes it. The action runs on the timer thread, never before the deadline,
 * and without this alarm's lock held.
 *
 * <p>An expiry that has already started cannot be cancelled: a concurrent {@code arm} or
 * {@code disarm} may see it run once more for the old deadline. Timer models therefore treat
 * the action as "look at the time now": they decide from their own state, under their own lock,
 * whether anything expired — never from the fact that the alarm went off.
 */
public final class Alarm {

    private final ScheduledExecutorService executor;
    private final Runnable action;
    private ScheduledFuture<?> deadline; // guarded by this; null when disarmed

    Alarm(ScheduledExecutorService executor, Runnable action) {
        this.executor = executor;
        this.action = action;
    }

    /** Goes off at {@code nanoTime} (a {@link System#nanoTime()} value), or at once if that has passed. */
    public synchronized void arm(long nanoTime) {
        cancel();
        long delay = Math.max(0, nanoTime - System.nanoTime());
        try {
            deadline = executor.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!executor.isShutdown()) {
                throw e;
            }
            // The machine is powered off: its timers no longer run.
        }
    }

    /** Removes the deadline, if any. */
    public synchronized void disarm() {
        cancel();
    }

    /** Whether a deadline is queued and has not gone off yet. */
    public synchronized boolean armed() {
        return deadline != null && !deadline.isDone();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire() {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            // The executor would keep it in a future nobody reads: report it as uncaught instead.
            Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, e);
        }
    }
}

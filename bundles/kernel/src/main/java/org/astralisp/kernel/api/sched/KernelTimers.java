package org.astralisp.kernel.api.sched;

import java.time.Duration;

/**
 * Kernel timers: an action run once after a delay, or every period
 * (docs/kernel.md, "Blocking, timers and IPC").
 *
 * <p>Each timer belongs to one CPU; its expiry is taken by that CPU's timer
 * interrupt, which the CPU's timer queue keeps armed for the earliest of its
 * deadlines and the scheduler's time slice. The action runs on that CPU as
 * <em>deferred work</em>: after the timer interrupt is completed, with
 * interrupts enabled, outside any kernel thread. It must not block or yield
 * (a {@link WaitQueue} wait there throws {@link IllegalStateException}); to do
 * blocking work it wakes a kernel thread. A timer never fires early: its
 * action runs at or after its deadline on {@link #now()}'s clock.
 *
 * <p>Timers may be armed and cancelled from any thread: a kernel thread on
 * any CPU, an interrupt handler, a host thread.
 */
public interface KernelTimers {

    /** The kernel's clock, in nanoseconds: the HAL timers' {@code now()}, common to all CPUs, never going back. */
    long now();

    /**
     * Runs {@code action} once, {@code delay} from now, on {@code cpu}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative or {@code cpu} does not exist
     */
    KernelTimer oneShot(int cpu, Duration delay, Runnable action);

    /**
     * Runs {@code action} every {@code period} on {@code cpu}, the first time
     * {@code period} from now; deadlines are {@code start + k·period}, so
     * they do not drift.
     *
     * @throws IllegalArgumentException if {@code period} is not positive or {@code cpu} does not exist
     */
    KernelTimer periodic(int cpu, Duration period, Runnable action);
}

package org.astralisp.kernel.api.sched;

/**
 * An armed kernel timer, one-shot or periodic (see {@link KernelTimers}).
 * Thread-safe.
 */
public interface KernelTimer {

    /** The CPU whose timer interrupt expires it, and where its action runs. */
    int cpu();

    /**
     * Disarms it. Safe against an expiry at the same moment on its CPU: once
     * this returns, no call of its action starts any more; a call that had
     * started already may still be running on the timer's CPU.
     *
     * @return true if this prevented at least one call of the action (it was
     *         armed, or had expired and its call had not started); false if
     *         it was cancelled already or a one-shot timer's action has run
     */
    boolean cancel();

    /** The calls of its action that have started so far. */
    long fired();

    /**
     * Periods of a periodic timer that passed without a call of their own,
     * because its CPU took the timer interrupt more than one period late or
     * the previous call had not started yet (POSIX {@code timer_getoverrun}):
     * {@code fired() + overruns()} counts every period that passed up to the
     * last expiry. 0 for a one-shot timer.
     */
    long overruns();
}

package org.astralisp.kernel.api.sched;

import java.time.Duration;

/**
 * A kernel thread: code the scheduler runs on one vCPU's own host thread, as
 * a one-shot continuation (docs/kernel.md, "Threads on vCPUs: the
 * mechanism"). A thread runs until it yields ({@link #yield()}, or a
 * {@link Safepoint#poll()} the timer marked), blocks on a {@link WaitQueue},
 * or ends; a blocked thread holds no vCPU.
 *
 * <p>States: NEW until {@link #start()}; RUNNABLE in its vCPU's run queue;
 * RUNNING on its vCPU; BLOCKED waiting to be unparked; DEAD when its body has
 * returned or thrown.
 *
 * <p>The protected {@link #park()}/{@link #unpark()} are the scheduler's
 * blocking primitive with {@link java.util.concurrent.locks.LockSupport}'s
 * permit semantics; {@link WaitQueue} is built on them.
 *
 * <h2>Attention</h2>
 * The hook signals are delivered through (docs/kernel.md, "Processes, signals
 * and syscalls"): {@link #requestAttention()} marks the thread, makes a
 * {@link #park()} in progress return, and gets the thread's vCPU to take the
 * slow path of its next {@link Safepoint#poll()}. The thread runs its
 * {@linkplain #setAttentionHandler handler} in its own context at that poll
 * (after the yield it makes there) or wherever it calls {@link #attend()} (a
 * system call's return); {@link WaitQueue#awaitInterruptibly(long)} returns
 * early while attention is pending. The flag is volatile: set by any thread,
 * cleared by the thread itself just before its handler runs, so a request
 * made while a handler runs is seen at the next poll.
 */
public abstract class KernelThread {

    /** A kernel thread's scheduling state. */
    public enum State { NEW, RUNNABLE, RUNNING, BLOCKED, DEAD }

    private volatile boolean attention;
    private volatile Runnable attentionHandler;

    protected KernelThread() {
    }

    public abstract String name();

    public abstract State state();

    /** The vCPU it runs on, is queued on, or ran on last. */
    public abstract int cpu();

    /** Its scheduling attributes now. */
    public abstract SchedulingAttributes attributes();

    /**
     * Changes its scheduling attributes, at any time: a queued thread is
     * requeued by them at once; a running thread that its new affinity no
     * longer allows on its CPU moves at its next safepoint.
     *
     * @throws IllegalArgumentException if the affinity names no CPU of this machine
     */
    public abstract void setAttributes(SchedulingAttributes attributes);

    /** How long it has run on its vCPU, in total. */
    public abstract Duration cpuTime();

    /**
     * Makes a NEW thread RUNNABLE on its vCPU.
     *
     * @throws IllegalStateException if it was started already
     */
    public abstract void start();

    /**
     * Waits up to {@code timeout} for the thread to be DEAD; true if it is.
     * For threads that are not kernel threads (a kernel thread blocks on a
     * {@link WaitQueue} instead).
     *
     * @throws IllegalStateException on a vCPU thread, which would hold its vCPU
     */
    public abstract boolean join(Duration timeout) throws InterruptedException;

    /** What its body threw, if it ended that way; null otherwise. */
    public abstract Throwable failure();

    /**
     * Blocks the calling thread, which is this one, until {@link #unpark()}
     * (or returns at once, consuming the permit, if an unpark came first). May
     * return spuriously: callers loop on their condition.
     */
    protected abstract void park();

    /** Makes this thread's next or current {@link #park()} return. Any thread, also in interrupt context. */
    protected abstract void unpark();

    /** What the thread runs, in its own context, when it attends to a {@link #requestAttention()}; null: nothing. */
    public final void setAttentionHandler(Runnable handler) {
        attentionHandler = handler;
    }

    /** Whether {@link #requestAttention()} was called and the thread has not attended to it yet. */
    public final boolean attentionPending() {
        return attention;
    }

    /**
     * Asks the thread to run its attention handler at its next safepoint poll
     * or {@link #attend()}; a park in progress returns. Any thread, also in
     * interrupt context.
     */
    public final void requestAttention() {
        attention = true;
        notifyAttention();
    }

    /**
     * Makes a pending or coming {@link #park()} return and the thread's vCPU
     * take the slow path of its next poll; called after the flag is set.
     */
    protected abstract void notifyAttention();

    /**
     * Runs the calling kernel thread's attention handler if attention is
     * pending, clearing the flag first; nothing on other threads. The handler
     * may block or throw (a signal that terminates unwinds the thread from
     * here), so callers hold no lock.
     */
    public static void attend() {
        KernelThread self = current();
        if (self != null && self.attention) {
            self.attention = false;
            Runnable handler = self.attentionHandler;
            if (handler != null) {
                handler.run();
            }
        }
    }

    /**
     * Like {@link #park()}, but returns at the latest when the kernel's clock
     * ({@link #nanoTime()}) reaches {@code deadline}: its vCPU's timer queue
     * unparks it then. May return spuriously: callers loop on their condition
     * and the clock.
     */
    protected abstract void parkUntil(long deadline);

    /** The kernel's clock, in nanoseconds: the HAL timer's {@code now()}, common to all CPUs. */
    protected abstract long nanoTime();

    /** The kernel thread the calling code runs in, or null on any other thread. */
    public static KernelThread current() {
        Safepoint here = Safepoint.current();
        return here == null ? null : here.running();
    }

    /**
     * Gives the vCPU to the next runnable thread of the vCPU, if any; returns
     * when the calling thread runs again.
     *
     * @throws IllegalStateException if the caller is not a kernel thread, or is in interrupt context
     * @throws PinnedYieldException if the caller's continuation is pinned
     */
    public static void yield() {
        Safepoint here = Safepoint.current();
        if (here == null) {
            throw new IllegalStateException("yield from thread '" + Thread.currentThread().getName()
                    + "': not a kernel thread");
        }
        here.yieldRunning();
    }

    /**
     * Blocks the calling kernel thread for at least {@code duration}; its vCPU
     * runs other threads meanwhile. A zero duration returns at once.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if the caller is not a kernel thread, or is in interrupt context
     */
    public static void sleep(Duration duration) {
        long nanos = Timeouts.nanos(duration, "sleep");
        KernelThread self = current();
        if (self == null) {
            throw new IllegalStateException("sleep from thread '" + Thread.currentThread().getName()
                    + "': not a kernel thread");
        }
        if (nanos == 0) {
            return;
        }
        long deadline = Timeouts.deadline(self.nanoTime(), nanos);
        while (self.nanoTime() < deadline) {
            self.parkUntil(deadline);
        }
    }

    @Override
    public String toString() {
        return "kernel thread '" + name() + "' on CPU " + cpu() + " (" + state() + ")";
    }
}

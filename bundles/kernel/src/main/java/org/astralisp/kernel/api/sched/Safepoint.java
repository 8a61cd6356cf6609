package org.astralisp.kernel.api.sched;

/**
 * A vCPU's safepoint: where the thread it runs takes interrupts and, when the
 * timer has marked the vCPU "needs resched", yields it to the next runnable
 * thread (ARCHITECTURE §4). Compiled Lisp polls at function entry and loop
 * back-edges; long kernel loops poll too.
 *
 * <p>Why a static {@link #poll()}: it is called at every function entry and
 * back-edge, where compiled code has no service reference at hand, and it
 * must cost next to nothing. The state it reads is not a singleton: each vCPU
 * thread has its own safepoint, bound to it by that vCPU's scheduler
 * ({@link #bindToCurrentThread()}); on any other thread {@code poll()} does
 * nothing. The fast path is a thread-local read and the subclass's
 * {@link #arrive()}, which the scheduler keeps to two volatile reads (the
 * vCPU's interrupt attention flag and its needs-resched flag) when nothing is
 * due.
 *
 * <p>Subclassed by the scheduler only; the protected methods are its side.
 */
public abstract class Safepoint {

    private static final ThreadLocal<Safepoint> CURRENT = new ThreadLocal<>();

    protected Safepoint() {
    }

    /**
     * The safepoint: takes pending interrupts and yields if the vCPU needs a
     * reschedule. Nothing on a thread that is not a scheduled vCPU, and no
     * yield in interrupt context (the mark stays for the next poll).
     *
     * @throws PinnedYieldException if the yield finds the thread pinned
     */
    public static void poll() {
        Safepoint here = CURRENT.get();
        if (here != null) {
            here.arrive();
        }
    }

    /** The safepoint of the calling thread's vCPU, or null. */
    static Safepoint current() {
        return CURRENT.get();
    }

    /** What {@link #poll()} does on this vCPU. Own vCPU thread only; must be cheap when nothing is due. */
    protected abstract void arrive();

    /** The thread this vCPU is running now, or null (idle loop). */
    protected abstract KernelThread running();

    /**
     * Gives the vCPU to the next runnable thread; returns when the calling
     * thread runs again.
     *
     * @throws IllegalStateException outside a kernel thread of this vCPU or in interrupt context
     * @throws PinnedYieldException if the thread is pinned
     */
    protected abstract void yieldRunning();

    /** Makes this the safepoint of the calling thread (its vCPU thread). */
    protected final void bindToCurrentThread() {
        CURRENT.set(this);
    }

    /** Unbinds the calling thread's safepoint, if it is this one. */
    protected final void unbindFromCurrentThread() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }
}

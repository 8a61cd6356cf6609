package org.astralisp.kernel.api.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Timeouts;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * A mutual-exclusion lock for kernel threads, with an owner, not reentrant
 * (a thread that locks it again is refused rather than deadlocked, as Linux's
 * {@code mutex} in debug mode). A thread waiting for it is parked and holds no
 * vCPU. Unfair: a thread arriving while the lock is free takes it even if
 * others are about to wake (barging, which keeps the hand-off cheap); a
 * woken waiter that loses the race waits again.
 *
 * <h2>No lost wake-up</h2>
 * The owner is an {@link AtomicReference} taken by compare-and-set. A thread
 * that finds it taken counts itself in {@code contenders}, then waits on the
 * queue with the ticket protocol until its CAS succeeds; {@link #unlock()}
 * clears the owner and then reads {@code contenders}, waking one waiter if
 * any. Both sides write, then read the other's variable (volatile, so
 * sequentially consistent): either the contender's CAS sees the lock free, or
 * the unlocker sees the contender and its wake comes after the contender's
 * ticket, so the contender's wait returns. An uncontended unlock touches no
 * wait queue.
 */
public final class Mutex {

    private final String name;
    private final AtomicReference<KernelThread> owner = new AtomicReference<>();
    private final AtomicInteger contenders = new AtomicInteger();
    private final WaitQueue queue;

    public Mutex(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.queue = new WaitQueue("mutex " + name);
    }

    public String name() {
        return name;
    }

    /**
     * Takes the mutex, waiting as long as it takes.
     *
     * @throws IllegalStateException if the caller is not a kernel thread, or holds it already
     */
    public void lock() {
        KernelThread self = caller("lock");
        if (owner.compareAndSet(null, self)) {
            return;
        }
        checkNotHeldBy(self);
        contenders.incrementAndGet();
        try {
            queue.await(() -> owner.compareAndSet(null, self));
        } finally {
            contenders.decrementAndGet();
        }
    }

    /**
     * Takes the mutex if it is free now.
     *
     * @throws IllegalStateException if the caller is not a kernel thread, or holds it already
     */
    public boolean tryLock() {
        KernelThread self = caller("tryLock");
        if (owner.compareAndSet(null, self)) {
            return true;
        }
        checkNotHeldBy(self);
        return false;
    }

    /**
     * Takes the mutex, waiting at most {@code timeout}.
     *
     * @return whether the caller holds it now
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a kernel thread, or holds it already
     */
    public boolean tryLock(Duration timeout) {
        Timeouts.nanos(timeout, this + ": tryLock");
        KernelThread self = caller("tryLock");
        if (owner.compareAndSet(null, self)) {
            return true;
        }
        checkNotHeldBy(self);
        contenders.incrementAndGet();
        try {
            return queue.await(() -> owner.compareAndSet(null, self), timeout);
        } finally {
            contenders.decrementAndGet();
        }
    }

    /**
     * Releases the mutex and wakes one waiter, if any.
     *
     * @throws MutexNotOwnedException if the caller does not hold it (nothing changes)
     */
    public void unlock() {
        KernelThread self = KernelThread.current();
        KernelThread holder = owner.get();
        if (self == null || holder != self) {
            throw new MutexNotOwnedException(name, "unlock", describe(self), holder == null ? null : holder.toString());
        }
        owner.set(null);
        if (contenders.get() > 0) {
            queue.wakeOne();
        }
    }

    /** The thread holding it, or null. */
    public KernelThread owner() {
        return owner.get();
    }

    /** Whether the calling kernel thread holds it. */
    public boolean isHeldByCurrentThread() {
        KernelThread self = KernelThread.current();
        return self != null && owner.get() == self;
    }

    /** Threads waiting to take it now. */
    public int waiting() {
        return queue.waiting();
    }

    private KernelThread caller(String operation) {
        KernelThread self = KernelThread.current();
        if (self == null) {
            throw new IllegalStateException(this + ": " + operation + " from " + describe(null)
                    + ", which is not a kernel thread; a mutex is owned by a kernel thread");
        }
        return self;
    }

    private void checkNotHeldBy(KernelThread self) {
        if (owner.get() == self) {
            throw new IllegalStateException(this + ": " + self + " locks it again; mutexes are not reentrant");
        }
    }

    static String describe(KernelThread thread) {
        return thread != null ? thread.toString() : "thread '" + Thread.currentThread().getName() + "'";
    }

    @Override
    public String toString() {
        return "mutex " + name;
    }
}

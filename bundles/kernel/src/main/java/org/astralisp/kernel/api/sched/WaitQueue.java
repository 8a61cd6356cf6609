package org.astralisp.kernel.api.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Kernel threads waiting for a condition; the one way a kernel thread blocks.
 * A waiting thread is parked: it holds no vCPU, and its vCPU runs others.
 *
 * <h2>No lost wake-ups: the ticket protocol</h2>
 * A waker changes the condition, then wakes; a waiter checks the condition,
 * then waits. A wake that falls between the waiter's check and its wait must
 * not be lost. So a wait is in two steps, an eventcount:
 * <pre>
 *   long ticket = queue.prepareToWait();   // the number of wakes so far
 *   if (!condition) queue.await(ticket);   // returns at once if a wake came since the ticket
 * </pre>
 * Every {@link #wakeOne()}/{@link #wakeAll()} increments {@code wakes} under
 * the queue's lock, then unparks the waiter(s) it took off the queue.
 * {@link #await(long)} compares the ticket with {@code wakes} under the same
 * lock before it enqueues itself, so a wake after the ticket either made the
 * comparison fail (the waiter does not block) or found the waiter enqueued and
 * unparked it (park's permit covers an unpark before the park). A thread that
 * returns from {@code await} must check its condition again: wakes may be
 * spurious (a ticket holder also returns for a {@code wakeOne} that woke
 * another waiter), so {@link #await(BooleanSupplier)} does the loop.
 *
 * <p>Locking: the lock ({@link ReentrantLock}, not a monitor, docs/kernel.md
 * "Pinning") guards {@code wakes} and the waiters. It is held for a few field
 * accesses, never across a park or a safepoint, so no interrupt on the same
 * vCPU can arrive while it is held, and a thread holding it is never
 * preempted. Wakes may come from any thread: kernel threads, interrupt
 * handlers, host threads. Waiters are woken in FIFO order.
 */
public final class WaitQueue {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private long wakes;
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** One parked thread; {@code woken} is set by the waker that dequeued it. */
    private static final class Waiter {
        final KernelThread thread;
        volatile boolean woken;

        Waiter(KernelThread thread) {
            this.thread = thread;
        }
    }

    public WaitQueue(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String name() {
        return name;
    }

    /** The ticket for {@link #await(long)}: take it before checking the condition. */
    public long prepareToWait() {
        lock.lock();
        try {
            return wakes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks the calling kernel thread until a wake that comes after
     * {@code ticket} was taken; returns at once if one came already.
     *
     * @throws IllegalStateException if the caller is not a kernel thread
     */
    public void await(long ticket) {
        KernelThread self = KernelThread.current();
        if (self == null) {
            throw new IllegalStateException("wait queue " + name + ": await from thread '"
                    + Thread.currentThread().getName() + "', which is not a kernel thread and would hold its CPU");
        }
        Waiter waiter = new Waiter(self);
        lock.lock();
        try {
            if (wakes != ticket) {
                return;
            }
            waiters.add(waiter);
        } finally {
            lock.unlock();
        }
        try {
            while (!waiter.woken) {
                self.park();
            }
        } catch (RuntimeException | Error e) {
            leave(waiter);
            throw e;
        }
    }

    /**
     * {@link #await(long)}, except that it returns false, having left the
     * queue, once the calling thread has attention pending
     * ({@link KernelThread#requestAttention()}: a signal), unless a wake took
     * it off the queue first; true when woken (or a wake came since the
     * ticket). What a blocking system call uses, so that a signal ends it with
     * "interrupted".
     *
     * @throws IllegalStateException if the caller is not a kernel thread
     */
    public boolean awaitInterruptibly(long ticket) {
        KernelThread self = KernelThread.current();
        if (self == null) {
            throw new IllegalStateException("wait queue " + name + ": await from thread '"
                    + Thread.currentThread().getName() + "', which is not a kernel thread and would hold its CPU");
        }
        Waiter waiter = new Waiter(self);
        lock.lock();
        try {
            if (wakes != ticket) {
                return true;
            }
            if (self.attentionPending()) {
                return false;
            }
            waiters.add(waiter);
        } finally {
            lock.unlock();
        }
        try {
            while (!waiter.woken) {
                if (self.attentionPending() && withdraw(waiter)) {
                    return false;
                }
                self.park();
            }
            return true;
        } catch (RuntimeException | Error e) {
            leave(waiter);
            throw e;
        }
    }

    /**
     * Takes a waiter off the queue; false if a waker took it first (then its
     * {@code woken} is already set, under the lock).
     */
    private boolean withdraw(Waiter waiter) {
        lock.lock();
        try {
            return waiters.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks the calling kernel thread until {@code condition} holds (true)
     * or it has attention pending (false), as {@link #awaitInterruptibly(long)}.
     */
    public boolean awaitInterruptibly(BooleanSupplier condition) {
        while (true) {
            long ticket = prepareToWait();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!awaitInterruptibly(ticket)) {
                return false;
            }
        }
    }

    /**
     * A waiter whose park failed (a {@link PinnedYieldException}) leaves the
     * queue; if a wake had taken it off already, that wake goes to the next
     * waiter, so that it is not lost.
     */
    private void leave(Waiter waiter) {
        if (!withdraw(waiter)) {
            wakeOne();
        }
    }

    /** Blocks the calling kernel thread until {@code condition} holds (checked after each wake). */
    public void await(BooleanSupplier condition) {
        while (true) {
            long ticket = prepareToWait();
            if (condition.getAsBoolean()) {
                return;
            }
            await(ticket);
        }
    }

    /** Wakes the longest waiting thread, and every thread between its ticket and its {@link #await(long)}. */
    public void wakeOne() {
        Waiter waiter;
        lock.lock();
        try {
            wakes++;
            waiter = waiters.poll();
            if (waiter != null) {
                waiter.woken = true;
            }
        } finally {
            lock.unlock();
        }
        if (waiter != null) {
            waiter.thread.unpark();
        }
    }

    /** Wakes every waiting thread. */
    public void wakeAll() {
        List<Waiter> woken;
        lock.lock();
        try {
            wakes++;
            woken = new ArrayList<>(waiters);
            waiters.clear();
            woken.forEach(waiter -> waiter.woken = true);
        } finally {
            lock.unlock();
        }
        woken.forEach(waiter -> waiter.thread.unpark());
    }

    /** The number of threads waiting now. */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "wait queue " + name;
    }
}

package org.astralisp.kernel.api.sched;

import java.time.Duration;
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
 * <h2>Timed waits</h2>
 * {@link #await(long, java.time.Duration)} and
 * {@link #await(BooleanSupplier, java.time.Duration)} park until a wake or a
 * deadline on the kernel's clock (the waiter's vCPU's timer queue unparks it
 * then). A waiter whose deadline passed withdraws under the lock; if a wake
 * had dequeued it first, the wake is its own and it reports woken, so a wake
 * racing a timeout is neither lost nor counted twice.
 *
 * <p>Locking: the lock ({@link ReentrantLock}, not a monitor, docs/kernel.md
 * "Pinning") guards {@code wakes} and the waiters. It is held for a few field
 * accesses, never across a park or a safepoint, so no interrupt on the same
 * vCPU can arrive while it is held, and a thread holding it is never
 * preempted. Wakes may come from any thread: kernel threads, interrupt
 * handlers, host threads. Waiters are woken in FIFO order.
 */
public final class WaitQueue {

    /** How a wait ended. */
    public enum Wakeup {
        /** A wake after the ticket. */
        WOKEN,
        /** The timeout passed first. */
        TIMED_OUT,
        /** The thread had attention pending first (a signal): an interruptible wait only. */
        INTERRUPTED
    }

    /** The deadline of an untimed wait. */
    private static final long FOREVER = Long.MAX_VALUE;

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
        awaitUntil(waitingThread(), ticket, FOREVER, false);
    }

    /**
     * {@link #await(long)} for at most {@code timeout}.
     *
     * @return true if a wake after the ticket came, false if the timeout passed first
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a kernel thread
     */
    public boolean await(long ticket, Duration timeout) {
        long nanos = Timeouts.nanos(timeout, this + ": await");
        KernelThread self = waitingThread();
        return awaitUntil(self, ticket, Timeouts.deadline(self.nanoTime(), nanos), false) == Wakeup.WOKEN;
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
        return awaitUntil(waitingThread(), ticket, FOREVER, true) == Wakeup.WOKEN;
    }

    /**
     * {@link #awaitInterruptibly(long)} for at most {@code timeout}: how the
     * wait ended. A wake that dequeued the waiter before the timeout or the
     * attention is reported as such, never lost.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a kernel thread
     */
    public Wakeup awaitInterruptibly(long ticket, Duration timeout) {
        long nanos = Timeouts.nanos(timeout, this + ": await");
        KernelThread self = waitingThread();
        return awaitUntil(self, ticket, Timeouts.deadline(self.nanoTime(), nanos), true);
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

    private KernelThread waitingThread() {
        KernelThread self = KernelThread.current();
        if (self == null) {
            throw new IllegalStateException("wait queue " + name + ": await from thread '"
                    + Thread.currentThread().getName() + "', which is not a kernel thread and would hold its CPU");
        }
        return self;
    }

    /**
     * The wait: enqueue unless a wake came since the ticket, then park until
     * a waker dequeues us ({@code woken}) or the deadline passes. A timed-out
     * waiter withdraws under the lock; if a wake dequeued it first, the wake
     * is its own and it reports woken, so a wake is never lost to a timeout.
     */
    private Wakeup awaitUntil(KernelThread self, long ticket, long deadline, boolean interruptible) {
        Waiter waiter = new Waiter(self);
        lock.lock();
        try {
            if (wakes != ticket) {
                return Wakeup.WOKEN;
            }
            if (interruptible && self.attentionPending()) {
                return Wakeup.INTERRUPTED;
            }
            waiters.add(waiter);
        } finally {
            lock.unlock();
        }
        try {
            while (!waiter.woken) {
                if (interruptible && self.attentionPending()) {
                    if (withdraw(waiter)) {
                        return Wakeup.INTERRUPTED;
                    }
                } else if (deadline == FOREVER) {
                    self.park();
                } else if (self.nanoTime() < deadline) {
                    self.parkUntil(deadline);
                } else if (withdraw(waiter)) {
                    return Wakeup.TIMED_OUT;
                }
            }
            return Wakeup.WOKEN;
        } catch (RuntimeException | Error e) {
            leave(waiter);
            throw e;
        }
    }

    /** Takes a waiter off the queue; false if a wake took it off first (and set {@code woken}, under the lock). */
    private boolean withdraw(Waiter waiter) {
        lock.lock();
        try {
            return waiters.remove(waiter);
        } finally {
            lock.unlock();
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

    /**
     * {@link #await(BooleanSupplier)} for at most {@code timeout}.
     *
     * @return true if the condition held, false if the timeout passed first
     *         (the condition is checked once more then)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is not a kernel thread and the condition does not hold
     */
    public boolean await(BooleanSupplier condition, Duration timeout) {
        long nanos = Timeouts.nanos(timeout, this + ": await");
        if (condition.getAsBoolean()) {
            return true;
        }
        KernelThread self = waitingThread();
        long deadline = Timeouts.deadline(self.nanoTime(), nanos);
        while (true) {
            long ticket = prepareToWait();
            if (condition.getAsBoolean()) {
                return true;
            }
            if (awaitUntil(self, ticket, deadline, false) != Wakeup.WOKEN) {
                return condition.getAsBoolean();
            }
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

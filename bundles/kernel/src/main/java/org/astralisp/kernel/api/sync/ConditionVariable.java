package org.astralisp.kernel.api.sync;

import java.time.Duration;
import java.util.Objects;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Timeouts;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * A condition variable bound to one {@link Mutex} (POSIX
 * {@code pthread_cond_t}, Java's {@code Condition}): a thread holding the
 * mutex waits for a change that another thread signals.
 *
 * <h2>No lost wake-up</h2>
 * {@link #await()} takes its wait-queue ticket while it still holds the
 * mutex, then unlocks, waits and locks again. A signaller changes the shared
 * state (under the mutex, after the waiter's unlock) and then signals, which
 * counts a wake after the ticket: the wait returns. As in POSIX, a wait may
 * return spuriously (a {@link #signal()} also releases threads between their
 * ticket and their wait), so callers loop on their predicate.
 */
public final class ConditionVariable {

    private final String name;
    private final Mutex mutex;
    private final WaitQueue queue;

    public ConditionVariable(String name, Mutex mutex) {
        this.name = Objects.requireNonNull(name, "name");
        this.mutex = Objects.requireNonNull(mutex, "mutex");
        this.queue = new WaitQueue("condition " + name);
    }

    public String name() {
        return name;
    }

    public Mutex mutex() {
        return mutex;
    }

    /**
     * Releases the mutex, waits for a signal, and takes the mutex again.
     *
     * @throws MutexNotOwnedException if the caller does not hold the mutex (nothing changes)
     */
    public void await() {
        long ticket = enter("await");
        mutex.unlock();
        try {
            queue.await(ticket);
        } finally {
            mutex.lock();
        }
    }

    /**
     * {@link #await()} for at most {@code timeout}; the mutex is held again
     * on return either way.
     *
     * @return false if the timeout passed with no signal
     * @throws IllegalArgumentException if {@code timeout} is negative (nothing changes)
     * @throws MutexNotOwnedException if the caller does not hold the mutex (nothing changes)
     */
    public boolean await(Duration timeout) {
        Timeouts.nanos(timeout, this + ": await");
        long ticket = enter("await");
        mutex.unlock();
        try {
            return queue.await(ticket, timeout);
        } finally {
            mutex.lock();
        }
    }

    private long enter(String operation) {
        if (!mutex.isHeldByCurrentThread()) {
            KernelThread owner = mutex.owner();
            throw new MutexNotOwnedException(mutex.name(), this + ": " + operation,
                    Mutex.describe(KernelThread.current()), owner == null ? null : owner.toString());
        }
        return queue.prepareToWait();
    }

    /** Wakes the longest waiting thread. Any thread. */
    public void signal() {
        queue.wakeOne();
    }

    /** Wakes every waiting thread. Any thread. */
    public void broadcast() {
        queue.wakeAll();
    }

    /** Threads waiting now. */
    public int waiting() {
        return queue.waiting();
    }

    @Override
    public String toString() {
        return "condition " + name;
    }
}

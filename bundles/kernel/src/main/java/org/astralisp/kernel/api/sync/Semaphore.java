package org.astralisp.kernel.api.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.kernel.api.sched.Timeouts;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * A counting semaphore (Dijkstra's P and V): {@link #acquire()} takes a
 * permit, waiting parked while there is none; {@link #release()} returns
 * one, from any thread (an interrupt handler, a host thread). Unfair, like
 * {@link Mutex}.
 *
 * <h2>No lost wake-up</h2>
 * Permits are an {@link AtomicInteger} taken by compare-and-set. An acquirer
 * that finds none counts itself in {@code contenders} and waits with the
 * ticket protocol until its CAS succeeds; a release adds its permits and
 * then reads {@code contenders}: the same write-then-read pairing as
 * {@link Mutex}'s, so either the acquirer sees the permit or the releaser
 * sees the acquirer and wakes it after its ticket.
 */
public final class Semaphore {

    private final String name;
    private final AtomicInteger permits;
    private final AtomicInteger contenders = new AtomicInteger();
    private final WaitQueue queue;

    /**
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(String name, int permits) {
        this.name = Objects.requireNonNull(name, "name");
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore " + name + ": " + permits + " initial permits is negative");
        }
        this.permits = new AtomicInteger(permits);
        this.queue = new WaitQueue("semaphore " + name);
    }

    public String name() {
        return name;
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws IllegalStateException if it would wait and the caller is not a kernel thread
     */
    public void acquire() {
        if (tryAcquire()) {
            return;
        }
        contenders.incrementAndGet();
        try {
            queue.await(this::tryAcquire);
        } finally {
            contenders.decrementAndGet();
        }
    }

    /** Takes a permit if there is one now. Any thread. */
    public boolean tryAcquire() {
        while (true) {
            int available = permits.get();
            if (available == 0) {
                return false;
            }
            if (permits.compareAndSet(available, available - 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @return whether it took one
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if it would wait and the caller is not a kernel thread
     */
    public boolean tryAcquire(Duration timeout) {
        Timeouts.nanos(timeout, this + ": tryAcquire");
        if (tryAcquire()) {
            return true;
        }
        contenders.incrementAndGet();
        try {
            return queue.await(this::tryAcquire, timeout);
        } finally {
            contenders.decrementAndGet();
        }
    }

    /** Returns one permit. Any thread. */
    public void release() {
        release(1);
    }

    /**
     * Returns {@code count} permits and wakes as many waiters. Any thread.
     *
     * @throws IllegalArgumentException if {@code count} is not positive or the
     *         permits would exceed {@link Integer#MAX_VALUE} (nothing changes)
     */
    public void release(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException(this + ": release of " + count + " permits; the count must be positive");
        }
        while (true) {
            int available = permits.get();
            if (available > Integer.MAX_VALUE - count) {
                throw new IllegalArgumentException(this + ": release of " + count + " permits to " + available
                        + " would exceed " + Integer.MAX_VALUE);
            }
            if (permits.compareAndSet(available, available + count)) {
                break;
            }
        }
        if (contenders.get() > 0) {
            if (count == 1) {
                queue.wakeOne();
            } else {
                queue.wakeAll();
            }
        }
    }

    /** The permits available now. */
    public int available() {
        return permits.get();
    }

    /** Threads waiting now. */
    public int waiting() {
        return queue.waiting();
    }

    @Override
    public String toString() {
        return "semaphore " + name;
    }
}

package org.astralisp.boot.spi;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The door every call on a {@link Handover} component goes through.
 *
 * <p>Calls hold the read side of a read-write lock for their whole duration, so
 * any number run at once; {@link #close(Supplier)} takes the write side, which
 * waits for the calls in flight to leave, marks the gate closed and takes the
 * snapshot while no call can run. A call that arrives after that sees the closed
 * flag under the read lock and throws {@link ServiceQuiescedException} without
 * touching state. Happens-before: everything a call did before it released the
 * read lock is visible to the snapshot taken under the write lock.
 */
public final class QuiescenceGate {

    private final String handoverKey;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    public QuiescenceGate(String handoverKey) {
        this.handoverKey = handoverKey;
    }

    /** Runs one call through the gate. */
    public <T> T call(Supplier<T> work) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new ServiceQuiescedException(handoverKey);
            }
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Closes the gate once no call is in flight, and snapshots the state meanwhile. */
    public HandoverState close(Supplier<HandoverState> snapshot) {
        lock.writeLock().lock();
        try {
            closed = true;
            return snapshot.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Opens the gate again after an abandoned swap. */
    public void reopen() {
        lock.writeLock().lock();
        try {
            closed = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }
}

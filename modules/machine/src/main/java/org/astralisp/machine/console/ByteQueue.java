package org.astralisp.machine.console;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of bytes between a host thread and the machine: a ring of
 * {@code capacity} bytes.
 *
 * <p>Invariants: {@code 0 <= count <= capacity}; bytes leave in the order they
 * came. {@link #offer} and {@link #poll} never block (the vCPU side);
 * {@link #put} and {@link #take} block (the host side) until there is room or
 * a byte, or the queue is closed. After {@link #close()} nothing more is
 * accepted, what is queued can still be taken, and every blocked thread returns.
 *
 * <p>Locking: one {@link ReentrantLock} guards the ring; callers hold no other
 * lock of the console while they wait here.
 */
final class ByteQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int count;
    private boolean closed;

    ByteQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ": a queue holds at least one byte");
        }
        ring = new byte[capacity];
    }

    /** Appends {@code b} if there is room and the queue is open; returns whether it did. */
    boolean offer(byte b) {
        lock.lock();
        try {
            if (closed || count == ring.length) {
                return false;
            }
            append(b);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code b}, waiting for room.
     *
     * @return false if the queue was closed before there was room
     */
    boolean put(byte b) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && count == ring.length) {
                notFull.await();
            }
            if (closed) {
                return false;
            }
            append(b);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest byte (0..255), removed, or -1 if there is none. */
    int poll() {
        lock.lock();
        try {
            return count == 0 ? -1 : removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest byte (0..255), waiting up to {@code timeout} for one.
     *
     * @return -1 if the time passed, or the queue is closed and empty
     */
    int take(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                if (closed || nanos <= 0) {
                    return -1;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** The number of bytes queued now. */
    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Accepts nothing more and wakes every waiting thread. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void append(byte b) {
        ring[(head + count) % ring.length] = b;
        count++;
        notEmpty.signal();
    }

    private int removeFirst() {
        int b = ring[head] & 0xFF;
        head = (head + 1) % ring.length;
        count--;
        notFull.signal();
        return b;
    }

    /** How many bytes the queue holds at most. */
    int capacity() {
        return ring.length;
    }
}

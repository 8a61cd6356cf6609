package org.astralisp.kernel.tty;

/**
 * The bytes waiting for the UART's transmitter: a ring of fixed capacity
 * that writers fill and the transmit interrupt empties, oldest first.
 *
 * <p>Invariant: {@code 0 <= count <= capacity}; bytes leave in the order they
 * came. Not thread-safe: the driver's lock guards it.
 */
final class TransmitRing {

    private final byte[] ring;
    private int head;
    private int count;

    TransmitRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("transmit ring of " + capacity + " bytes: it needs room for one");
        }
        ring = new byte[capacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == ring.length;
    }

    int size() {
        return count;
    }

    int capacity() {
        return ring.length;
    }

    /** Appends {@code b}; the caller has checked {@link #isFull()}. */
    void add(byte b) {
        ring[(head + count) % ring.length] = b;
        count++;
    }

    /** Removes and returns the oldest byte; the caller has checked {@link #isEmpty()}. */
    byte remove() {
        byte b = ring[head];
        head = (head + 1) % ring.length;
        count--;
        return b;
    }
}

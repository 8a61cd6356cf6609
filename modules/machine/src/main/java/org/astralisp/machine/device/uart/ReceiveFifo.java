package org.astralisp.machine.device.uart;

/**
 * The 16550A's receiver FIFO (datasheet "FIFO Operation"): a ring of at most
 * {@value #DEPTH} characters, or of one character (the receiver buffer
 * register of 16450 mode) while FIFOs are disabled.
 *
 * <p>Invariant: {@code 0 <= count <= capacity <= DEPTH}. Not thread-safe: the
 * UART's monitor guards it.
 */
final class ReceiveFifo {

    static final int DEPTH = 16;

    private final byte[] ring = new byte[DEPTH];
    private int head;
    private int count;
    private int capacity = 1;

    /** 16 with FIFOs enabled, 1 without; changing it empties the FIFO, as an FCR[0] change does. */
    void setCapacity(int newCapacity) {
        capacity = newCapacity;
        clear();
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == capacity;
    }

    int size() {
        return count;
    }

    /** Appends {@code b}; the caller has checked {@link #isFull()}. */
    void push(byte b) {
        ring[(head + count) % DEPTH] = b;
        count++;
    }

    /** Replaces the newest character: the 16450's receiver buffer overwritten on overrun. */
    void replaceNewest(byte b) {
        ring[(head + count - 1) % DEPTH] = b;
    }

    /** Removes and returns the oldest character; 0 if empty (an RBR read with DR clear). */
    int pop() {
        if (count == 0) {
            return 0;
        }
        int b = ring[head] & 0xFF;
        head = (head + 1) % DEPTH;
        count--;
        return b;
    }

    void clear() {
        head = 0;
        count = 0;
    }
}

package org.astralisp.machine.devicetree;

import java.util.Arrays;

/**
 * The value of a property made of 32-bit cells, big-endian (devicetree spec
 * v0.4 §2.2.4.1, {@code <prop-encoded-array>}): a {@code reg}, {@code ranges}
 * or {@code interrupt-map} is a sequence of {@code <u32>} and {@code <u64>}
 * fields whose widths the {@code #address-cells}, {@code #size-cells} and
 * {@code #interrupt-cells} in force decide. A {@code <u64>} is two cells, the
 * high one first.
 */
public final class PropEncodedArray {

    private int[] cells = new int[8];
    private int length;

    /** Appends one cell per value. */
    public PropEncodedArray u32(int... values) {
        for (int value : values) {
            append(value);
        }
        return this;
    }

    /** Appends two cells per value, high cell first. */
    public PropEncodedArray u64(long... values) {
        for (long value : values) {
            append((int) (value >>> 32));
            append((int) value);
        }
        return this;
    }

    /** The cells appended so far. */
    public int[] cells() {
        return Arrays.copyOf(cells, length);
    }

    private void append(int cell) {
        if (length == cells.length) {
            cells = Arrays.copyOf(cells, length * 2);
        }
        cells[length++] = cell;
    }
}

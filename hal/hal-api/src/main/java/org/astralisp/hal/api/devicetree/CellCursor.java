package org.astralisp.hal.api.devicetree;

/**
 * Reads a property value as a sequence of 32-bit cells (devicetree
 * specification v0.4 §2.2.4.2 {@code <prop-encoded-array>}), entry by entry,
 * and reports a value that ends in the middle of an entry against its node and
 * property.
 */
final class CellCursor {

    private final DeviceProperty property;
    private final int[] cells;
    private int next;

    CellCursor(DeviceProperty property) throws DevicePropertyException {
        this.property = property;
        this.cells = property.cells();
    }

    boolean hasMore() {
        return next < cells.length;
    }

    /** The next {@code count} cells, which are part of {@code what}. */
    int[] take(int count, String what) throws DevicePropertyException {
        if (count > cells.length - next) {
            throw property.malformed("value ends in the middle of " + what + " (cell " + next + " of "
                    + cells.length + ", " + count + " more needed)");
        }
        int[] taken = new int[count];
        System.arraycopy(cells, next, taken, 0, count);
        next += count;
        return taken;
    }

    /** The next {@code count} (at most two) cells as one unsigned 64-bit size. */
    long takeSize(int count, String what) throws DevicePropertyException {
        long size = 0;
        for (int cell : take(count, what)) {
            size = (size << 32) | Integer.toUnsignedLong(cell);
        }
        return size;
    }
}

package org.astralisp.machine.bus;

/**
 * A range of guest-physical addresses, {@code [base, base + size)}.
 *
 * <p>Invariants: {@code base >= 0}, {@code size > 0}, and the range does not
 * wrap: {@code base + size} fits in 63 bits, so {@link #end()} is exact.
 */
public record PhysicalRange(long base, long size) {

    public PhysicalRange {
        if (base < 0 || size <= 0 || base > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException("not a physical range: base 0x" + Long.toHexString(base)
                    + ", size 0x" + Long.toHexString(size));
        }
    }

    /** The first address after the range. */
    public long end() {
        return base + size;
    }

    /** Whether {@code [address, address + length)} lies within this range; {@code length >= 0}. */
    public boolean contains(long address, long length) {
        return address >= base && length >= 0 && length <= size && address - base <= size - length;
    }

    public boolean overlaps(PhysicalRange other) {
        return base < other.end() && other.base < end();
    }

    /** {@code [0x10000000, 0x10000100)}. */
    @Override
    public String toString() {
        return "[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(end()) + ")";
    }
}

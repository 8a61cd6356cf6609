package org.astralisp.kernel.api.mm;

/**
 * A range of guest-physical addresses {@code [base, base + size)}: a RAM range
 * of a {@code /memory} node's {@code reg}, or a reserved range (the kernel
 * image, the device tree blob, firmware).
 *
 * <p>Invariant: {@code 0 <= base}, {@code 0 < size}, and {@code base + size}
 * does not overflow, so {@link #end()} is always greater than {@code base}.
 *
 * @param base the first address
 * @param size the length in bytes
 */
public record PhysicalRange(long base, long size) {

    /**
     * @throws IllegalArgumentException naming the range if base is negative,
     *     size is not positive, or the range runs past the largest address
     */
    public PhysicalRange {
        if (base < 0 || size <= 0 || base + size < 0) {
            throw new IllegalArgumentException(
                    "not a physical range: base 0x%x size 0x%x".formatted(base, size));
        }
    }

    /** The range {@code [start, end)}. */
    public static PhysicalRange between(long start, long end) {
        return new PhysicalRange(start, end - start);
    }

    /** The first address after the range. */
    public long end() {
        return base + size;
    }

    public boolean contains(long address) {
        return address >= base && address < end();
    }

    @Override
    public String toString() {
        return "[0x%x, 0x%x)".formatted(base, end());
    }
}

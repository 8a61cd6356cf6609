package org.astralisp.kernel.api.vm;

import java.util.HexFormat;

/**
 * A range of virtual addresses {@code [start, start + length)}, compared as unsigned numbers.
 *
 * <p>Invariant: {@code 0 < length} and the range does not wrap past 2^64 − 1, so {@link #last()} is
 * at or above {@code start} (unsigned). The last page of the 64-bit space is a valid range; its
 * {@link #end()} is then 0.
 *
 * @param start the first address
 * @param length the length in bytes
 */
public record VirtualRange(long start, long length) {

    private static final HexFormat DIGITS = HexFormat.of();

    /**
     * @throws IllegalArgumentException naming the range if length is not positive or the range wraps
     *     past the last address
     */
    public VirtualRange {
        if (length <= 0 || Long.compareUnsigned(start + length - 1, start) < 0) {
            throw new IllegalArgumentException("not a virtual range: start %s length 0x%x".formatted(hex(start), length));
        }
    }

    /** The range {@code [start, end)}. */
    public static VirtualRange between(long start, long end) {
        return new VirtualRange(start, end - start);
    }

    /** The first address after the range (0 for a range ending at 2^64). */
    public long end() {
        return start + length;
    }

    /** The last address in the range. */
    public long last() {
        return start + length - 1;
    }

    /** Whether {@code address} lies in the range (unsigned comparison). */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, last()) <= 0;
    }

    /** {@code [0x0000000000400000, 0x0000000000402000)}: all 16 hex digits, as the paging messages write them. */
    @Override
    public String toString() {
        return "[" + hex(start) + ", " + (end() == 0 ? "2^64" : hex(end())) + ")";
    }

    static String hex(long value) {
        return "0x" + DIGITS.toHexDigits(value);
    }
}

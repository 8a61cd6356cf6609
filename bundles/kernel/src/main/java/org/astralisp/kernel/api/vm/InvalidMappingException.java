package org.astralisp.kernel.api.vm;

/**
 * A {@link AddressSpace#map map}, {@link AddressSpace#unmap unmap} or {@link AddressSpace#protect
 * protect} request the address space refuses. Every request is checked before anything changes, so
 * after this exception the space, its page table and every TLB are exactly as they were.
 *
 * <p>The message is {@code cannot <operation> <range>: <reason>}, e.g. {@code cannot map
 * [0x0000000000401000, 0x0000000000403000): it overlaps the region [0x0000000000400000,
 * 0x0000000000402000) rw-u- anonymous}.
 */
public abstract sealed class InvalidMappingException extends IllegalArgumentException
        permits MisalignedRangeException, RangeOutOfBoundsException, OverlappingMappingException,
        RangeNotMappedException, UnsupportedRegionPermissionsException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final long start;
    private final long length;

    InvalidMappingException(String operation, long start, long length, String reason) {
        super("cannot " + operation + " " + describe(start, length) + ": " + reason);
        this.operation = operation;
        this.start = start;
        this.length = length;
    }

    /** {@code map}, {@code unmap} or {@code protect}. */
    public String operation() {
        return operation;
    }

    /** The start address the request named. */
    public long start() {
        return start;
    }

    /** The length the request named. */
    public long length() {
        return length;
    }

    private static String describe(long start, long length) {
        if (length > 0 && Long.compareUnsigned(start + length - 1, start) >= 0) {
            return new VirtualRange(start, length).toString();
        }
        return VirtualRange.hex(start) + " length 0x" + Long.toHexString(length);
    }
}

package org.astralisp.hal.api.paging;

/**
 * A page-table operation refused or a walk failed; the subclass says why, the message says where.
 * The table is unchanged when one of these is thrown.
 */
public abstract class PageTableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long virtualAddress;

    protected PageTableException(long virtualAddress, String message) {
        super(message);
        this.virtualAddress = virtualAddress;
    }

    /** The virtual address the operation was about. */
    public long virtualAddress() {
        return virtualAddress;
    }

    /** How messages spell an address or an entry: {@code 0x} and 16 hex digits. */
    protected static String hex(long value) {
        return Hex.of(value);
    }
}

package org.astralisp.hal.api.paging;

/**
 * An address the format cannot translate or cannot point to: a virtual address outside the translated
 * range (non-canonical on x86-64, beyond Sv39/Sv48, beyond the radix tree's 52 bits), or a physical
 * address wider than the entry's address field.
 */
public class AddressOutOfRangeException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final long address;

    /**
     * @param virtualAddress the page the operation was about
     * @param address the offending address (the virtual address itself, or the physical one)
     * @param range what the format accepts, e.g. {@code "canonical 48-bit virtual addresses"}
     */
    public AddressOutOfRangeException(long virtualAddress, long address, String range) {
        super(virtualAddress, hex(address) + " is outside " + range
                + (address == virtualAddress ? "" : " (mapping virtual " + hex(virtualAddress) + ")"));
        this.address = address;
    }

    public long address() {
        return address;
    }
}

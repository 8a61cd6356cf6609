package org.astralisp.hal.api.paging;

/** A virtual or physical address given for a page is not aligned to the page size. */
public class MisalignedAddressException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final long address;

    /**
     * @param virtualAddress the page the operation was about
     * @param address the misaligned address (the virtual address itself, or the physical one)
     * @param what {@code "virtual"} or {@code "physical"}
     * @param pageSize the alignment required
     */
    public MisalignedAddressException(long virtualAddress, long address, String what, int pageSize) {
        super(virtualAddress, what + " address " + hex(address) + " is not aligned to the page size " + pageSize
                + (address == virtualAddress ? "" : " (mapping virtual " + hex(virtualAddress) + ")"));
        this.address = address;
    }

    public long address() {
        return address;
    }
}

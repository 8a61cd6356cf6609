package org.astralisp.hal.api.paging;

/** {@link PageTable#map} of a page that is mapped already; unmap it first. */
public class AlreadyMappedException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final Translation existing;

    public AlreadyMappedException(long virtualAddress, Translation existing) {
        super(virtualAddress, "virtual page " + hex(virtualAddress) + " is already mapped to " + existing);
        this.existing = existing;
    }

    /** The mapping that is there. */
    public Translation existing() {
        return existing;
    }
}

package org.astralisp.hal.api.paging;

/** An operation on a mapping ({@link PageTable#unmap}, {@link PageTable#protect}, …) where there is none. */
public class NotMappedException extends PageTableException {

    private static final long serialVersionUID = 1L;

    public NotMappedException(long virtualAddress, String operation) {
        super(virtualAddress, "cannot " + operation + " virtual page " + hex(virtualAddress) + ": it is not mapped");
    }
}

package org.astralisp.kernel.api.vm;

/**
 * A range that is empty, wraps past the last address, leaves the virtual addresses the page-table
 * format translates, or runs past the end of the shared memory it maps.
 */
public final class RangeOutOfBoundsException extends InvalidMappingException {

    private static final long serialVersionUID = 1L;

    public RangeOutOfBoundsException(String operation, long start, long length, String reason) {
        super(operation, start, length, reason);
    }
}

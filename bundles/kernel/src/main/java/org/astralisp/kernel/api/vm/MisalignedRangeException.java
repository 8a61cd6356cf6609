package org.astralisp.kernel.api.vm;

/** A range whose start or length (or shared-memory offset) is not a multiple of the page size. */
public final class MisalignedRangeException extends InvalidMappingException {

    private static final long serialVersionUID = 1L;

    public MisalignedRangeException(String operation, long start, long length, String reason) {
        super(operation, start, length, reason);
    }
}

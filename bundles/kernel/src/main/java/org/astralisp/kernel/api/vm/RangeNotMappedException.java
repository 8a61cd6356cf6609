package org.astralisp.kernel.api.vm;

/** An {@link AddressSpace#unmap unmap} or {@link AddressSpace#protect protect} of a range with a hole: part of it is in no region. */
public final class RangeNotMappedException extends InvalidMappingException {

    private static final long serialVersionUID = 1L;

    private final VirtualRange hole;

    public RangeNotMappedException(String operation, long start, long length, VirtualRange hole) {
        super(operation, start, length, hole + (hole.equals(new VirtualRange(start, length)) ? " is" : " in it is")
                + " not mapped");
        this.hole = hole;
    }

    /** The first part of the range (lowest address) that no region covers. */
    public VirtualRange hole() {
        return hole;
    }
}

package org.astralisp.kernel.api.vm;

/** A {@link AddressSpace#map map} of a range that overlaps a region already mapped. */
public final class OverlappingMappingException extends InvalidMappingException {

    private static final long serialVersionUID = 1L;

    private final transient Region existing;

    public OverlappingMappingException(long start, long length, Region existing) {
        super("map", start, length, "it overlaps the region " + existing);
        this.existing = existing;
    }

    /** The first region (lowest address) the range overlaps. */
    public Region existing() {
        return existing;
    }
}

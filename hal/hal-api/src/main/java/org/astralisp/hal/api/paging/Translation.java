package org.astralisp.hal.api.paging;

/**
 * What a page walk found for a virtual address: the physical address, the effective permissions (as
 * the hardware combines the entries of every level), and the leaf entry's accessed and dirty bits
 * (x86 A/D, RISC-V A/D, PowerISA R/C).
 *
 * @param physical the physical address of the byte the walk was asked about (the page's frame when
 *     the address was page-aligned)
 */
public record Translation(long physical, Permissions permissions, boolean accessed, boolean dirty) {

    /** The same translation for a byte {@code offset} bytes further into the page. */
    public Translation plus(long offset) {
        return new Translation(physical + offset, permissions, accessed, dirty);
    }

    @Override
    public String toString() {
        return Hex.of(physical) + " " + permissions + (accessed ? " accessed" : "") + (dirty ? " dirty" : "");
    }
}

package org.astralisp.hal.api.paging;

/**
 * An entry with a reserved bit or a reserved encoding set, on which the hardware would stop the walk
 * and fault: x86-64 address bits above MAXPHYADDR or PS in a PML4E (reserved-bit page fault, Intel SDM
 * Vol. 3A §4.5 and §4.7, RSVD); RISC-V W=1 R=0, a non-leaf with A, D or U, bits 63:54, a pointer at level 0 or a
 * misaligned superpage (privileged spec §4.3.2); radix entries with reserved bits (PowerISA 3.0
 * Book III §5.7, Radix Tree Translation).
 */
public class ReservedEntryException extends EntryException {

    private static final long serialVersionUID = 1L;

    public ReservedEntryException(long virtualAddress, int level, String levelName, long entry, String reason) {
        super(virtualAddress, level, levelName, entry, "reserved bit pattern", reason);
    }
}

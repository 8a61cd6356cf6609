package org.astralisp.hal.api.paging;

import java.util.Optional;

/**
 * One tree of page tables in guest RAM, in its format's exact bit layout and byte order: the address
 * space of one process (or of the kernel). Maps base pages only.
 *
 * <p>Invariants: every table of the tree lives in a frame from the table's {@link FrameSource}; every
 * table except the root holds at least one valid entry (a table that becomes empty is freed at once);
 * a failed operation leaves the tree as it was.
 *
 * <p>Not thread-safe: the VMM serialises the operations on one table (it holds the address space's
 * lock). Changing or removing a mapping does not invalidate any TLB; that, and the shootdown, is the
 * VMM's business.
 */
@org.osgi.annotation.versioning.ProviderType
public interface PageTable {

    PageTableFormat format();

    /** The physical address of the root table. */
    long root();

    /**
     * The value that makes the MMU walk this tree: CR3 on x86-64 (PCID 0, PWT=PCD=0; Intel SDM Vol. 3A
     * §4.5), {@code satp} on RISC-V (ASID 0; privileged spec §4.1.11), doubleword 0 of a process-table
     * entry on ppc64 (RTS, RPDB, RPDS; PowerISA 3.0 Book III §5.7, Process Table).
     */
    long rootDescriptor();

    /**
     * Maps the page at {@code virtualAddress} to the frame at {@code physical}, with the accessed and
     * dirty bits clear. Allocates the intermediate tables it needs.
     *
     * @throws MisalignedAddressException if either address is not page-aligned
     * @throws AddressOutOfRangeException if the virtual address is not {@linkplain PageTableFormat#inRange in
     *     range} or the physical one too wide
     * @throws UnsupportedPermissionsException if the format cannot express {@code permissions}
     * @throws AlreadyMappedException if the page is mapped
     * @throws EntryException if the walk meets a malformed or unsupported entry
     * @throws OutOfFramesException if a table frame was needed and none was left (nothing is kept)
     */
    void map(long virtualAddress, long physical, Permissions permissions);

    /**
     * Removes the mapping of the page and frees every intermediate table that became empty.
     *
     * @return the mapping that was removed (its frame is the caller's to free)
     * @throws NotMappedException if the page is not mapped
     */
    Translation unmap(long virtualAddress);

    /**
     * Changes the permissions of a mapped page, keeping its frame and its accessed and dirty bits.
     *
     * @throws NotMappedException if the page is not mapped
     * @throws UnsupportedPermissionsException if the format cannot express {@code permissions}
     */
    void protect(long virtualAddress, Permissions permissions);

    /**
     * Walks the tree as the MMU would, reading every entry from guest RAM, and changes nothing.
     * Any byte address in range may be given.
     *
     * @return the translation, or empty if the address is not mapped
     * @throws AddressOutOfRangeException if the address is not in range
     * @throws EntryException if the walk meets a malformed or unsupported entry
     */
    Optional<Translation> translate(long virtualAddress);

    /**
     * Makes an access as the MMU would: walks the tree, checks the permissions, and sets the accessed
     * bit (and the dirty bit for a write) in guest RAM — hardware A/D update on every architecture
     * (x86-64 also sets A in the directory entries it used).
     *
     * @return the translation after the update
     * @throws PageFaultException if the address is not mapped or the access is not permitted
     * @throws AddressOutOfRangeException if the address is not in range
     * @throws EntryException if the walk meets a malformed or unsupported entry
     */
    Translation access(long virtualAddress, Access access, Privilege privilege);

    /**
     * Clears the accessed bit of a mapped page.
     *
     * @return whether it was set
     * @throws NotMappedException if the page is not mapped
     */
    boolean clearAccessed(long virtualAddress);

    /**
     * Clears the dirty bit of a mapped page.
     *
     * @return whether it was set
     * @throws NotMappedException if the page is not mapped
     */
    boolean clearDirty(long virtualAddress);

    /**
     * Gives every table frame back to the frame source, mapped pages or not (their frames are the
     * caller's). Afterwards every operation throws {@link IllegalStateException}.
     */
    void release();
}

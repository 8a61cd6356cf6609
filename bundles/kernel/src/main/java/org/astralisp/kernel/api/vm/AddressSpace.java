package org.astralisp.kernel.api.vm;

import java.util.List;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;

/**
 * One address space: regions of virtual memory over a page table in guest RAM, in the format of the
 * architecture's MMU ({@link #rootDescriptor()} is what CR3, {@code satp} or the process-table entry
 * would hold).
 *
 * <p>The page table holds only pages that have been touched: {@link #map} creates a region and no
 * entry; the first access to a page faults, and the fault handler gives it a zeroed frame (anonymous
 * memory) or the shared object's frame. After {@link #clone()}, private pages are copy-on-write.
 *
 * <p>Accesses name the CPU that makes them: each CPU has a software TLB, consulted first on every
 * access made on it. {@link #unmap}, {@link #protect}, a copy-on-write break and {@link #clone()}
 * remove the stale entries from the TLB of every CPU that has used this space (a shootdown by
 * inter-processor interrupt) before they return.
 *
 * <p>Every method is safe to call from any number of CPUs at once; changes to one space are serialised
 * by its lock. Requests are checked before anything changes ({@link InvalidMappingException}).
 */
public interface AddressSpace {

    /** A number no other address space of this manager has had, the tag of its TLB entries. */
    int id();

    /** The page size of the format, the unit of every range. */
    int pageSize();

    /** What the MMU would be loaded with to use this space: CR3, {@code satp} or process-table doubleword 0. */
    long rootDescriptor();

    /**
     * Creates a region over {@code [start, start + length)}; no page of it is in the page table yet.
     *
     * @param permissions what the region allows; {@code ---} (no access, a guard) is always accepted,
     *     any other combination only if the format's entries can express it
     * @param backing {@link Backing#anonymous()} or {@link Backing#shared} of this manager's shared memory
     * @throws MisalignedRangeException if start, length or the shared offset is not page-aligned
     * @throws RangeOutOfBoundsException if the range is empty, leaves the format's virtual addresses, or
     *     runs past the end of the shared memory
     * @throws OverlappingMappingException if a region already covers part of the range
     * @throws UnsupportedRegionPermissionsException if the format cannot express the permissions
     * @throws IllegalStateException if the space is destroyed or the shared memory closed
     */
    void map(long start, long length, Permissions permissions, Backing backing);

    /**
     * Removes every region in the range, splitting those it cuts; frees the private frames no other space
     * refers to. On return no CPU's TLB translates any page of the range.
     *
     * @throws MisalignedRangeException if start or length is not page-aligned
     * @throws RangeOutOfBoundsException if the range is empty or leaves the format's virtual addresses
     * @throws RangeNotMappedException if part of the range is in no region
     */
    void unmap(long start, long length);

    /**
     * Changes the permissions of every region in the range, splitting those it cuts, and of the page-table
     * entries of its resident pages (copy-on-write pages stay write-protected). On return no CPU's TLB
     * holds the old permissions.
     *
     * @throws MisalignedRangeException if start or length is not page-aligned
     * @throws RangeOutOfBoundsException if the range is empty or leaves the format's virtual addresses
     * @throws RangeNotMappedException if part of the range is in no region
     * @throws UnsupportedRegionPermissionsException if the format cannot express the permissions
     */
    void protect(long start, long length, Permissions permissions);

    /** The regions, in address order. */
    List<Region> regions();

    /**
     * Makes one access on {@code cpu}, as the MMU would: the CPU's TLB, else the page table, else the
     * fault handler (demand zero, copy-on-write, shared page). Sets the accessed bit, and the dirty bit
     * for a write, in the page-table entry.
     *
     * @return the physical address of the byte
     * @throws SegmentationFaultException if the address is in no region or its region refuses the access
     * @throws IllegalArgumentException if {@code cpu} does not exist
     * @throws org.astralisp.hal.api.paging.OutOfFramesException if a frame was needed and none is free
     */
    long access(int cpu, long address, Access access, Privilege privilege);

    /**
     * Reads {@code length} bytes from {@code address} on, across pages, as loads on {@code cpu}.
     *
     * @throws SegmentationFaultException at the first byte refused; the bytes before it were read
     */
    byte[] read(int cpu, long address, int length, Privilege privilege);

    /**
     * Writes {@code bytes} from {@code address} on, across pages, as stores on {@code cpu}.
     *
     * @throws SegmentationFaultException at the first byte refused; the bytes before it were written
     */
    void write(int cpu, long address, byte[] bytes, Privilege privilege);

    /**
     * A new space with the same regions: private pages become copy-on-write in both spaces (their frames
     * referenced twice, the entries write-protected in both tables), shared regions stay shared.
     *
     * @throws org.astralisp.hal.api.paging.OutOfFramesException if the new page table could not be
     *     built; the new space is then destroyed, and this one keeps its contents
     */
    AddressSpace clone();

    /** A snapshot of the counters. */
    AddressSpaceStatistics statistics();

    /**
     * Removes every region, gives every frame whose last reference this space held and every page-table
     * frame back to the PMM, and removes the space's entries from every TLB. Afterwards every other method
     * throws {@link IllegalStateException}.
     *
     * @throws IllegalStateException if it was already destroyed
     */
    void destroy();
}

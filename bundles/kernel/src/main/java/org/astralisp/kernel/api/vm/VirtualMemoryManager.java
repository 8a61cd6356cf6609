package org.astralisp.kernel.api.vm;

import org.astralisp.hal.api.paging.PageTableFormat;

/**
 * The virtual memory manager: makes address spaces and shared memory objects over the PMM's frames,
 * in the page-table format of the active architecture, and owns the CPUs' software TLBs.
 */
public interface VirtualMemoryManager {

    /** The page-table format of every space it makes. */
    PageTableFormat format();

    /** The number of CPUs, each with a TLB; CPUs are {@code 0..cpus()-1}. */
    int cpus();

    /**
     * A new, empty address space: a page table with only its root.
     *
     * @throws org.astralisp.hal.api.paging.OutOfFramesException if there is no frame for the root
     */
    AddressSpace createAddressSpace();

    /**
     * A shared memory object of {@code size} bytes, no page of which has a frame yet.
     *
     * @throws IllegalArgumentException if size is not a positive multiple of the page size, or has more
     *     pages than RAM has frames
     */
    SharedMemory createSharedMemory(long size);

    /**
     * The counters of a CPU's TLB.
     *
     * @throws IllegalArgumentException if {@code cpu} does not exist
     */
    TlbStatistics tlbStatistics(int cpu);
}

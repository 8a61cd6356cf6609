package org.astralisp.kernel.api.vm;

/**
 * Counters of one address space, a consistent snapshot taken under its lock.
 *
 * @param residentPages pages that have a frame: private pages touched (or inherited from a clone) and
 *     shared pages touched through this space
 * @param pageFaults accesses the page table refused and the fault handler resolved or refused:
 *     demand-zero fills, copy-on-write breaks, refills of resident pages and segmentation faults
 * @param demandZeroPages private pages given a new zeroed frame on first touch
 * @param copyOnWriteCopies copy-on-write faults that copied the frame
 * @param copyOnWriteReuses copy-on-write faults that took the frame over, this space holding its last reference
 * @param segmentationFaults faults refused with a {@link SegmentationFaultException}
 */
public record AddressSpaceStatistics(long residentPages, long pageFaults, long demandZeroPages,
        long copyOnWriteCopies, long copyOnWriteReuses, long segmentationFaults) {
}

package org.astralisp.kernel.api.vm;

/**
 * Counters of one CPU's software TLB.
 *
 * @param cpu the CPU
 * @param hits accesses the TLB translated
 * @param misses accesses that went to the page table (no entry, or one that did not permit the access
 *     or lacked the dirty bit a write must set)
 * @param invalidations entries removed because their translation changed (unmap, protect,
 *     copy-on-write, destroy)
 * @param shootdowns invalidation requests this CPU's TLB ran, its own and those sent from other CPUs
 */
public record TlbStatistics(int cpu, long hits, long misses, long invalidations, long shootdowns) {
}

package org.astralisp.kernel.mm;

import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.ZoneStatistics;

/**
 * One zone: a {@link BuddyAllocator} over the zone's usable frames, the lock
 * that guards it, and the zone's failure count.
 *
 * <p>Locking. One lock per zone guards the buddy allocator (its frame map,
 * free lists and free-frame count) and {@code failedAllocations}; nothing else
 * in a zone is mutable, and the final fields ({@code kind}, the frame counts)
 * are read without it. Every method takes the lock, does a bounded amount of
 * work on the zone's own arrays, and releases it in a {@code finally}: no
 * callback, logging, I/O or other lock is reached while it is held, so a
 * holder always makes progress and no two PMM locks are ever held together. Exceptions are
 * built under the lock (their message describes the zone's state at the
 * moment of the check) and propagate after it is released.
 *
 * <p>Memory ordering: all reads and writes of the guarded state happen with the
 * lock held, so each unlock happens-before the next lock of the same zone
 * (JLS §17.4.5) and every vCPU sees the state the previous holder left. The
 * fields that are not guarded are final and set in the constructor.
 *
 * <p>Interrupts: a vCPU takes interrupts only in {@code Cpu.pollInterrupts}
 * and {@code Cpu.waitForInterrupt}, and neither is called with the lock held,
 * so an interrupt handler never runs on a thread inside a zone and may itself
 * allocate and free.
 */
final class Zone {

    private final MemoryZone kind;
    private final long reservedFrames;
    private final long totalFrames;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final BuddyAllocator buddy;
    /** Guarded by {@code lock}. */
    private long failedAllocations;

    /**
     * @param kind which zone this is
     * @param reservedFrames RAM frames of the zone in reserved ranges, for statistics
     * @param buddy an allocator over the zone's usable frames, used by no one else
     */
    Zone(MemoryZone kind, long reservedFrames, BuddyAllocator buddy) {
        this.kind = kind;
        this.reservedFrames = reservedFrames;
        this.buddy = buddy;
        this.totalFrames = buddy.totalFrames();
    }

    MemoryZone kind() {
        return kind;
    }

    /**
     * Whether the zone is worth asking for a block that must end at or below
     * {@code limit}: it has usable frames and starts below the limit. A zone
     * that is not is skipped and counts no failure.
     */
    boolean mayServeBelow(long limit) {
        return totalFrames > 0 && kind.start() < limit;
    }

    /**
     * Allocates a block as {@link BuddyAllocator#allocate} does, counting a
     * failure when none fits.
     *
     * @return the frame number of the block, or {@link BuddyAllocator#NO_BLOCK}
     */
    long allocate(int order, long alignFrames, long limitPfn) {
        lock.lock();
        try {
            long pfn = buddy.allocate(order, alignFrames, limitPfn);
            if (pfn == BuddyAllocator.NO_BLOCK) {
                failedAllocations++;
            }
            return pfn;
        } finally {
            lock.unlock();
        }
    }

    /** Frees a block as {@link BuddyAllocator#free} does, with the same checks. */
    void free(long pfn, int order) {
        lock.lock();
        try {
            buddy.free(pfn, order);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the zone, consistent because it is taken under the lock. */
    ZoneStatistics statistics() {
        lock.lock();
        try {
            return new ZoneStatistics(kind, totalFrames, reservedFrames, buddy.freeFrames(),
                    buddy.freeBlocks(), failedAllocations);
        } finally {
            lock.unlock();
        }
    }
}

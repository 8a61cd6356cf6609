package org.astralisp.kernel.vm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What an address-space change leaves to do after the space's lock is released (Linux's
 * {@code mmu_gather}): the pages whose TLB entries must go, and the frames and shared objects whose
 * references must be dropped — only after the entries are gone from every CPU, so no TLB ever
 * translates to a frame that was freed.
 *
 * <p>The shootdown runs outside the space's lock on purpose: a target CPU may be waiting for that lock
 * in its own fault, and it takes the inter-processor interrupt only where it polls. Entries a CPU
 * fills after the change was made under the lock are fresh, so removing them too costs a miss, not a
 * wrong translation.
 */
final class Shootdown {

    private final PagedVirtualMemoryManager vmm;
    private final int space;
    private final List<PageSpan> spans = new ArrayList<>();
    private final List<Long> frames = new ArrayList<>();
    private final List<AnonymousSharedMemory> shared = new ArrayList<>();
    private boolean everything;
    private boolean writeProtecting;

    Shootdown(PagedVirtualMemoryManager vmm, int space) {
        this.vmm = vmm;
        this.space = space;
    }

    void invalidate(PageSpan span) {
        spans.add(span);
    }

    /** Every entry of the space (it is being destroyed). */
    void invalidateAll() {
        everything = true;
    }

    /**
     * Records that the change took write permission away from entries, so stale writable entries may
     * exist until the shootdown has finished.
     *
     * @return whether this is the first time for this batch
     */
    boolean markWriteProtecting() {
        boolean first = !writeProtecting;
        writeProtecting = true;
        return first;
    }

    boolean writeProtecting() {
        return writeProtecting;
    }

    /** Drops a reference to a private frame after the shootdown. */
    void releaseFrame(long frame) {
        frames.add(frame);
    }

    /** Drops a region's reference to a shared object after the shootdown. */
    void releaseShared(AnonymousSharedMemory memory) {
        shared.add(memory);
    }

    /** Shoots the entries down on {@code cpus} (those that have used the space), then drops the references. */
    void finish(BitSet cpus) {
        if ((everything || !spans.isEmpty()) && !cpus.isEmpty()) {
            vmm.shootdown(space, cpus, everything ? null : List.copyOf(spans));
        }
        for (long frame : frames) {
            vmm.releaseFrame(frame);
        }
        for (AnonymousSharedMemory memory : shared) {
            memory.release();
        }
    }
}

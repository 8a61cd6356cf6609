package org.astralisp.kernel.vm;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.TlbStatistics;

/**
 * One CPU's translation lookaside buffer, in software: {@value #ENTRIES} entries, direct-mapped by
 * (address space id, virtual page), each caching the frame, the effective permissions and whether the
 * page-table entry's dirty bit is set.
 *
 * <p>As on hardware, an entry is used without looking at the page table: a stale entry keeps
 * translating until it is invalidated, which is why every change that takes a translation away
 * (unmap, protect, copy-on-write) shoots the entry down on every CPU that may hold it. A write through
 * an entry whose dirty bit is clear misses, so that the page walk sets D in the page-table entry, as
 * x86 and RISC-V processors do (Intel SDM Vol. 3A §4.8; privileged spec §4.3.1).
 *
 * <p>Locking: one lock guards the entries and counters. An access holds it while it copies bytes
 * through the entry it found, so an invalidation run from another thread (the local fallback of
 * {@link LocalCrossCall}) waits for an access in flight, and a frame is never reused while an access
 * still writes into it. The lock is never held while waiting for anything else; the address space's
 * lock is taken before it (fill), never after.
 */
final class SoftwareTlb {

    static final int ENTRIES = 64;

    private record Entry(int space, long page, long frame, Permissions permissions, boolean dirty) {
    }

    private final int cpu;
    private final ReentrantLock lock = new ReentrantLock();
    private final Entry[] entries = new Entry[ENTRIES];
    private long hits;
    private long misses;
    private long invalidations;
    private long shootdowns;

    SoftwareTlb(int cpu) {
        this.cpu = cpu;
    }

    /**
     * Uses the entry for {@code page} if there is one that permits the access: calls {@code use} with the
     * frame while holding the lock.
     *
     * @param refilled whether the access missed and the walk has just filled the entry; its use is then
     *     the end of that miss, not a hit
     * @return whether the entry was there
     */
    boolean translate(int space, long page, Access access, Privilege privilege, boolean refilled, LongConsumer use) {
        lock.lock();
        try {
            Entry entry = entries[slot(space, page)];
            if (entry == null || entry.space() != space || entry.page() != page
                    || !entry.permissions().permits(access, privilege) || (access == Access.WRITE && !entry.dirty())) {
                misses++;
                return false;
            }
            if (!refilled) {
                hits++;
            }
            use.accept(entry.frame());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Caches a translation the page walk just made; the caller holds the space's lock. */
    void fill(int space, long page, long frame, Permissions permissions, boolean dirty) {
        lock.lock();
        try {
            entries[slot(space, page)] = new Entry(space, page, frame, permissions, dirty);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the entries of {@code space} for the pages in {@code spans}, or all of them if {@code spans} is null. */
    void invalidate(int space, List<PageSpan> spans) {
        lock.lock();
        try {
            shootdowns++;
            for (int i = 0; i < ENTRIES; i++) {
                Entry entry = entries[i];
                if (entry != null && entry.space() == space && (spans == null || covered(spans, entry.page()))) {
                    entries[i] = null;
                    invalidations++;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    TlbStatistics statistics() {
        lock.lock();
        try {
            return new TlbStatistics(cpu, hits, misses, invalidations, shootdowns);
        } finally {
            lock.unlock();
        }
    }

    private static boolean covered(List<PageSpan> spans, long page) {
        for (PageSpan span : spans) {
            if (span.contains(page)) {
                return true;
            }
        }
        return false;
    }

    private static int slot(int space, long page) {
        return (int) ((page ^ (page >>> 6) ^ space * 0x9E37L) & (ENTRIES - 1));
    }
}

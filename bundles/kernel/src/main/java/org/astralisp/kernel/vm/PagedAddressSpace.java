package org.astralisp.kernel.vm;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.PageFaultException;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.AddressSpaceStatistics;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.MisalignedRangeException;
import org.astralisp.kernel.api.vm.OverlappingMappingException;
import org.astralisp.kernel.api.vm.RangeNotMappedException;
import org.astralisp.kernel.api.vm.RangeOutOfBoundsException;
import org.astralisp.kernel.api.vm.Region;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SegmentationFaultException.Reason;
import org.astralisp.kernel.api.vm.UnsupportedRegionPermissionsException;
import org.astralisp.kernel.api.vm.VirtualRange;

/**
 * An address space: regions ({@link RegionMap}), the frames of its resident pages, and a page table in
 * guest RAM in the architecture's format.
 *
 * <p>Invariants, under {@link #lock}:
 * <ul>
 *   <li>{@code resident} maps each page that has a frame to it: a private frame (counted in
 *       {@link FrameReferences}) or a frame of the region's shared object. Every resident page lies in a
 *       region.
 *   <li>The page table maps a page only if it is resident and its region allows some access, to the
 *       resident frame, with the region's permissions — minus write for a private frame referenced by
 *       another space too (copy-on-write). A resident page may lack an entry (its region had no access,
 *       or a table frame ran out); the next access puts it back (a minor fault).
 *   <li>A CPU's TLB holds an entry for this space only if the CPU is in {@code usedBy}; an entry is a
 *       translation the page table made since the last shootdown of its page.
 * </ul>
 *
 * <p>Every change runs under the lock and leaves its shootdown and frame releases to a
 * {@link Shootdown} finished after the lock is released (see there for why). An access first tries the
 * CPU's TLB without the lock; on a miss it walks the page table under the lock, handles the fault if
 * the walk faults, and fills the TLB before releasing the lock.
 */
final class PagedAddressSpace implements AddressSpace {

    private final PagedVirtualMemoryManager vmm;
    private final int id;
    private final PageTableFormat format;
    private final PageTable table;
    private final int shift;
    private final int pageSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final RegionMap regions;
    private final TreeMap<Long, Long> resident = new TreeMap<>();
    private final BitSet usedBy = new BitSet();
    private boolean destroyed;
    /** How many changes have write-protected pages (clone, protect without write), under the lock. */
    private long writeProtections;
    /** Write-protecting changes whose shootdown has not finished: stale writable entries may still exist. */
    private final AtomicInteger unfinishedWriteProtections = new AtomicInteger();
    private long pageFaults;
    private long demandZeroPages;
    private long copyOnWriteCopies;
    private long copyOnWriteReuses;
    private long segmentationFaults;

    PagedAddressSpace(PagedVirtualMemoryManager vmm, int id, PageTable table) {
        this.vmm = vmm;
        this.id = id;
        this.format = table.format();
        this.table = table;
        this.pageSize = format.pageSize();
        this.shift = Integer.numberOfTrailingZeros(pageSize);
        this.regions = new RegionMap(shift);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long rootDescriptor() {
        return locked(batch -> table.rootDescriptor());
    }

    @Override
    public void map(long start, long length, Permissions permissions, Backing backing) {
        PageSpan span = pages("map", start, length);
        requireExpressible("map", start, length, permissions);
        AnonymousSharedMemory memory = backing instanceof Backing.Shared shared
                ? sharedMemory(start, length, shared) : null;
        locked(batch -> {
            Optional<Area> overlap = regions.firstOverlap(span);
            if (overlap.isPresent()) {
                throw new OverlappingMappingException(start, length, overlap.get().region(shift));
            }
            if (memory != null) {
                memory.retainForMap();
            }
            regions.put(new Area(span.first(), span.end(), permissions, backing));
            return null;
        });
    }

    @Override
    public void unmap(long start, long length) {
        PageSpan span = pages("unmap", start, length);
        locked(batch -> {
            requireCovered("unmap", start, length, span);
            split(span);
            for (Area area : regions.within(span)) {
                regions.remove(area);
                for (Map.Entry<Long, Long> page : residentIn(area)) {
                    long address = page.getKey() << shift;
                    if (table.translate(address).isPresent()) {
                        table.unmap(address);
                    }
                    resident.remove(page.getKey());
                    if (!area.shared()) {
                        batch.releaseFrame(page.getValue());
                    }
                }
                if (area.shared()) {
                    batch.releaseShared(area.sharedMemory());
                }
            }
            batch.invalidate(span);
            return null;
        });
    }

    @Override
    public void protect(long start, long length, Permissions permissions) {
        PageSpan span = pages("protect", start, length);
        requireExpressible("protect", start, length, permissions);
        locked(batch -> {
            requireCovered("protect", start, length, span);
            split(span);
            if (!permissions.write()) {
                writeProtecting(batch);
            }
            for (Area old : regions.within(span)) {
                Area area = old.withPermissions(permissions);
                regions.put(area);
                for (Map.Entry<Long, Long> page : residentIn(area)) {
                    long address = page.getKey() << shift;
                    if (table.translate(address).isEmpty()) {
                        continue;
                    }
                    if (area.accessible()) {
                        table.protect(address, entryPermissions(area, page.getValue()));
                    } else {
                        table.unmap(address);
                    }
                }
            }
            batch.invalidate(span);
            return null;
        });
    }

    @Override
    public List<Region> regions() {
        return locked(batch -> regions.all().stream().map(area -> area.region(shift)).toList());
    }

    @Override
    public long access(int cpu, long address, Access access, Privilege privilege) {
        long[] physical = new long[1];
        use(cpu, address, access, privilege, frame -> physical[0] = frame + (address & (pageSize - 1)));
        return physical[0];
    }

    @Override
    public byte[] read(int cpu, long address, int length, Privilege privilege) {
        if (length < 0) {
            throw new IllegalArgumentException("cannot read " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        MemorySegment into = MemorySegment.ofArray(bytes);
        copy(cpu, address, length, Access.READ, privilege,
                (physical, done, chunk) -> MemorySegment.copy(vmm.ram(physical, chunk), 0, into, done, chunk));
        return bytes;
    }

    @Override
    public void write(int cpu, long address, byte[] bytes, Privilege privilege) {
        MemorySegment from = MemorySegment.ofArray(bytes);
        copy(cpu, address, bytes.length, Access.WRITE, privilege,
                (physical, done, chunk) -> MemorySegment.copy(from, done, vmm.ram(physical, chunk), 0, chunk));
    }

    @Override
    public AddressSpace clone() {
        PagedAddressSpace child = vmm.newAddressSpace();
        try {
            locked(batch -> {
                copyInto(child, batch);
                return null;
            });
        } catch (RuntimeException e) {
            child.destroy();
            throw e;
        }
        return child;
    }

    @Override
    public AddressSpaceStatistics statistics() {
        return locked(batch -> new AddressSpaceStatistics(resident.size(), pageFaults, demandZeroPages,
                copyOnWriteCopies, copyOnWriteReuses, segmentationFaults));
    }

    @Override
    public void destroy() {
        locked(batch -> {
            for (Area area : regions.all()) {
                if (area.shared()) {
                    batch.releaseShared(area.sharedMemory());
                } else {
                    residentIn(area).forEach(page -> batch.releaseFrame(page.getValue()));
                }
            }
            regions.clear();
            resident.clear();
            table.release();
            destroyed = true;
            batch.invalidateAll();
            return null;
        });
    }

    @Override
    public String toString() {
        return "address space " + id;
    }

    /** The page table's entry for {@code address}, read from guest RAM as the MMU would, changing nothing. */
    Optional<Translation> entry(long address) {
        return locked(batch -> table.translate(address));
    }

    /**
     * Copies every region and resident private page into {@code child}, copy-on-write; the caller holds the
     * lock. If an earlier write protection of this space is still shooting its entries down, this one
     * flushes all of the space's entries before the clone is handed out: the child's own copies must not
     * miss a store that reaches a shared frame through an entry older than the clone.
     */
    private void copyInto(PagedAddressSpace child, Shootdown batch) {
        if (unfinishedWriteProtections.get() > 0) {
            batch.invalidateAll();
        }
        for (Area area : regions.all()) {
            if (area.shared()) {
                area.sharedMemory().retain();
            }
            child.regions.put(area);
            if (area.shared()) {
                continue;
            }
            Permissions readOnly = area.permissions().limitedTo(false, true, true);
            for (Map.Entry<Long, Long> page : residentIn(area)) {
                long address = page.getKey() << shift;
                long frame = page.getValue();
                vmm.references().share(frame);
                child.resident.put(page.getKey(), frame);
                if (!area.accessible()) {
                    continue;
                }
                child.table.map(address, frame, readOnly);
                if (area.permissions().write()
                        && table.translate(address).map(t -> t.permissions().write()).orElse(false)) {
                    table.protect(address, readOnly);
                    writeProtecting(batch);
                    batch.invalidate(new PageSpan(page.getKey(), page.getKey() + 1));
                }
            }
        }
    }

    /** One access: the TLB, else the page table and the fault handler under the lock, then the TLB again. */
    private void use(int cpu, long address, Access access, Privilege privilege, LongConsumer frameUse) {
        SoftwareTlb tlb = vmm.tlb(cpu);
        if (!format.inRange(address)) {
            locked(batch -> {
                segmentationFaults++;
                throw new SegmentationFaultException(address, access, privilege, Reason.OUTSIDE_ADDRESS_SPACE,
                        "it is not one of the " + format.virtualAddressBits() + "-bit virtual addresses "
                                + format.name() + " translates");
            });
        }
        long page = address >>> shift;
        boolean refilled = false;
        long[] flushed = {-1, -1};
        while (!tlb.translate(id, page, access, privilege, refilled, frameUse)) {
            refilled = true;
            locked(batch -> {
                Translation translation = walk(address, access, privilege, batch, flushed);
                if (translation != null) {
                    long frame = translation.physical() - (address & (pageSize - 1));
                    tlb.fill(id, page, frame, translation.permissions(), translation.dirty());
                    usedBy.set(cpu);
                }
                return null;
            });
        }
    }

    /**
     * The page table's translation of {@code address} after an access, handling the fault if it faults;
     * null if the fault could not be resolved before a shootdown (see {@link #breakCopyOnWrite}), which
     * {@link #locked} runs after the lock is released, and the access is to be tried again.
     * A page that is not resident has no entry, and a private frame referenced by another space too has
     * a read-only one (invariants), so a first touch and a copy-on-write write are handled without
     * asking the table to raise a {@link PageFaultException}, whose construction costs more than the rest
     * of the fault.
     *
     * @param flushed the page and write-protection count of the last shootdown this access asked for
     */
    private Translation walk(long address, Access access, Privilege privilege, Shootdown batch, long[] flushed) {
        boolean entryPresent = false;
        Long frame = resident.get(address >>> shift);
        if (frame != null && access == Access.WRITE && vmm.references().count(frame) > 1) {
            entryPresent = table.translate(address).isPresent();
        } else if (frame != null) {
            try {
                return table.access(address, access, privilege);
            } catch (PageFaultException fault) {
                entryPresent = fault.mapping().isPresent();
            }
        }
        pageFaults++;
        return resolve(address, access, privilege, entryPresent, batch, flushed)
                ? table.access(address, access, privilege) : null;
    }

    /**
     * The fault handler: refuses an access outside the regions or against them; otherwise makes the
     * page-table entry that lets the access through.
     *
     * @return whether it did; false if a shootdown has to run first
     */
    private boolean resolve(long address, Access access, Privilege privilege, boolean entryPresent, Shootdown batch,
            long[] flushed) {
        long page = address >>> shift;
        Area area = regions.find(page);
        if (area == null) {
            segmentationFaults++;
            throw new SegmentationFaultException(address, access, privilege, Reason.NOT_MAPPED, "no region contains it");
        }
        Reason refusal = refusal(area.permissions(), access, privilege);
        if (refusal != null) {
            segmentationFaults++;
            throw new SegmentationFaultException(address, access, privilege, refusal, "region " + area.region(shift));
        }
        if (entryPresent) {
            // The region allows the access and the entry does not: only a copy-on-write page is mapped so.
            return breakCopyOnWrite(page, area, batch, flushed);
        }
        Long frame = resident.get(page);
        if (frame == null) {
            frame = area.shared() ? area.sharedMemory().frame(area.sharedIndex(page, shift)) : newPrivateFrame();
            resident.put(page, frame);
        }
        table.map(page << shift, frame, entryPermissions(area, frame));
        return true;
    }

    private long newPrivateFrame() {
        long frame = vmm.zeroedFrame();
        vmm.references().claim(frame);
        demandZeroPages++;
        return frame;
    }

    /**
     * A write to a copy-on-write page: takes the frame over if this space holds its last reference,
     * else copies it into a new frame, maps that writable, and drops the old reference after the
     * shootdown (other CPUs of this space may hold the old, read-only translation).
     *
     * <p>The copy must not miss a store. A change that write-protected the page (a clone, a protect)
     * shoots the writable entries down only after it released the lock, so until that shootdown has
     * finished another CPU may still store into the old frame through a stale writable entry — and a
     * copy made now would lose that store. So while any write-protecting change is unfinished, the
     * fault first shoots this page down itself (no table change; {@code flushed} records it) and is
     * retried; the copy proceeds on the retry if no new write protection happened in between, since the
     * entry stayed read-only throughout and no writable entry for it can have been made since.
     *
     * @return false if the page's shootdown must run first
     */
    private boolean breakCopyOnWrite(long page, Area area, Shootdown batch, long[] flushed) {
        long address = page << shift;
        long old = resident.get(page);
        if (vmm.references().count(old) == 1) {
            table.protect(address, area.permissions());
            copyOnWriteReuses++;
            return true;
        }
        if (unfinishedWriteProtections.get() > 0 && (flushed[0] != page || flushed[1] != writeProtections)) {
            flushed[0] = page;
            flushed[1] = writeProtections;
            batch.invalidate(new PageSpan(page, page + 1));
            return false;
        }
        long copy = vmm.copyOf(old);
        vmm.references().claim(copy);
        table.unmap(address);
        resident.put(page, copy);
        copyOnWriteCopies++;
        batch.invalidate(new PageSpan(page, page + 1));
        batch.releaseFrame(old);
        table.map(address, copy, area.permissions());
        return true;
    }

    /** Marks {@code batch} as write-protecting pages, until its shootdown has finished. */
    private void writeProtecting(Shootdown batch) {
        if (batch.markWriteProtecting()) {
            writeProtections++;
            unfinishedWriteProtections.incrementAndGet();
        }
    }

    /** The permissions of the entry of a resident page: the region's, without write while the frame is shared copy-on-write. */
    private Permissions entryPermissions(Area area, long frame) {
        boolean copyOnWrite = !area.shared() && area.permissions().write() && vmm.references().count(frame) > 1;
        return copyOnWrite ? area.permissions().limitedTo(false, true, true) : area.permissions();
    }

    /** Why {@code permissions} refuse the access, or null if they allow it. Privilege is checked first, as the MMU does. */
    private static Reason refusal(Permissions permissions, Access access, Privilege privilege) {
        if (privilege == Privilege.USER && !permissions.user()) {
            return Reason.SUPERVISOR_ONLY;
        }
        if (privilege == Privilege.SUPERVISOR && permissions.user()) {
            return Reason.USER_ONLY;
        }
        return switch (access) {
            case READ -> permissions.read() ? null : Reason.NOT_READABLE;
            case WRITE -> permissions.write() ? null : Reason.NOT_WRITABLE;
            case EXECUTE -> permissions.execute() ? null : Reason.NOT_EXECUTABLE;
        };
    }

    private interface Chunk {
        void copy(long physical, int done, int length);
    }

    /** Copies {@code length} bytes from {@code address} on, page by page, each chunk through the TLB. */
    private void copy(int cpu, long address, int length, Access access, Privilege privilege, Chunk chunk) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            int offset = (int) (at & (pageSize - 1));
            int size = Math.min(length - done, pageSize - offset);
            int already = done;
            use(cpu, at, access, privilege, frame -> chunk.copy(frame + offset, already, size));
            done += size;
        }
    }

    /**
     * The resident pages of {@code area}, as copies: a {@link TreeMap}'s own entries are not snapshots
     * (removing a node may move its successor's key and value into it).
     */
    private List<Map.Entry<Long, Long>> residentIn(Area area) {
        return resident.subMap(area.first(), area.end()).entrySet().stream()
                .map(page -> Map.entry(page.getKey(), page.getValue())).toList();
    }

    /** Splits the regions at both ends of {@code span}; a split shared region takes one more reference. */
    private void split(PageSpan span) {
        for (long boundary : new long[] {span.first(), span.end()}) {
            Area split = regions.splitAt(boundary);
            if (split != null && split.shared()) {
                split.sharedMemory().retain();
            }
        }
    }

    private void requireCovered(String operation, long start, long length, PageSpan span) {
        Optional<PageSpan> hole = regions.firstHole(span);
        if (hole.isPresent()) {
            throw new RangeNotMappedException(operation, start, length,
                    VirtualRange.between(hole.get().first() << shift, hole.get().end() << shift));
        }
    }

    private void requireExpressible(String operation, long start, long length, Permissions permissions) {
        boolean none = !permissions.read() && !permissions.write() && !permissions.execute();
        if (!none && !format.supports(permissions)) {
            throw new UnsupportedRegionPermissionsException(operation, start, length, permissions, format.name());
        }
    }

    /** The pages of a request, after checking its alignment and bounds. */
    private PageSpan pages(String operation, long start, long length) {
        if (length <= 0) {
            throw new RangeOutOfBoundsException(operation, start, length, length == 0 ? "it is empty" : "its length is negative");
        }
        if ((start & (pageSize - 1)) != 0) {
            throw new MisalignedRangeException(operation, start, length,
                    "its start is not a multiple of the page size " + pageSize);
        }
        if ((length & (pageSize - 1)) != 0) {
            throw new MisalignedRangeException(operation, start, length,
                    "its length 0x" + Long.toHexString(length) + " is not a multiple of the page size " + pageSize);
        }
        long last = start + length - 1;
        if (Long.compareUnsigned(last, start) < 0) {
            throw new RangeOutOfBoundsException(operation, start, length, "it wraps past the last address");
        }
        // Both ends in range is enough: a positive length is below 2^63, shorter than any hole between the
        // lower and the upper half (x86-64, Sv39: 2^64 - 2^48 and 2^64 - 2^39 addresses long).
        if (!format.inRange(start) || !format.inRange(last)) {
            throw new RangeOutOfBoundsException(operation, start, length, "it is not all within the "
                    + format.virtualAddressBits() + "-bit virtual addresses " + format.name() + " translates");
        }
        return new PageSpan(start >>> shift, (last >>> shift) + 1);
    }

    private AnonymousSharedMemory sharedMemory(long start, long length, Backing.Shared shared) {
        if (!(shared.memory() instanceof AnonymousSharedMemory memory) || memory.owner() != vmm) {
            throw new IllegalArgumentException(shared.memory() + " is not shared memory of this virtual memory manager");
        }
        if ((shared.offset() & (pageSize - 1)) != 0) {
            throw new MisalignedRangeException("map", start, length, "the offset 0x" + Long.toHexString(shared.offset())
                    + " into " + memory + " is not a multiple of the page size " + pageSize);
        }
        if (shared.offset() < 0 || shared.offset() > memory.size() || length > memory.size() - shared.offset()) {
            throw new RangeOutOfBoundsException("map", start, length, "at offset 0x" + Long.toHexString(shared.offset())
                    + " it runs past the end of " + memory);
        }
        return memory;
    }

    /**
     * Runs {@code change} under the lock with a fresh {@link Shootdown}, then — lock released, also when
     * it threw — finishes the shootdown on the CPUs that have used the space.
     */
    private <T> T locked(Function<Shootdown, T> change) {
        Shootdown batch = new Shootdown(vmm, id);
        BitSet cpus;
        lock.lock();
        try {
            if (destroyed) {
                throw new IllegalStateException(this + " is destroyed");
            }
            return change.apply(batch);
        } finally {
            cpus = (BitSet) usedBy.clone();
            lock.unlock();
            try {
                batch.finish(cpus);
            } finally {
                if (batch.writeProtecting()) {
                    unfinishedWriteProtections.decrementAndGet();
                }
            }
        }
    }
}

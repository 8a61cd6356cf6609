package org.astralisp.kernel.vm;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.kernel.api.irq.CrossCall;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.SharedMemory;
import org.astralisp.kernel.api.vm.TlbStatistics;
import org.astralisp.kernel.api.vm.VirtualMemoryManager;
import org.astralisp.kernel.mm.ZeroedFrameSource;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * The virtual memory manager: address spaces over the PMM's frames in the HAL's page-table format,
 * one {@link SoftwareTlb} per CPU, and the shootdown that keeps them right, sent through a
 * {@link CrossCall} (the interrupt framework's IPIs, or {@link LocalCrossCall}).
 *
 * <p>Every frame it uses is an order-0 block of the PMM: page-table frames through
 * {@link ZeroedFrameSource}, data frames zeroed the same way (demand zero) or filled by a copy
 * (copy-on-write). Its own state is the TLBs (each under its lock), the frame reference counts
 * ({@link FrameReferences}, atomic per frame) and id counters, so it is safe for any number of CPUs.
 */
public final class PagedVirtualMemoryManager implements VirtualMemoryManager {

    private final PhysicalMemoryManager pmm;
    private final PhysicalMemory ram;
    private final PageTableFormat format;
    private final ZeroedFrameSource frames;
    private final CrossCall crossCall;
    private final SoftwareTlb[] tlbs;
    private final FrameReferences references = new FrameReferences();
    private final AtomicInteger spaces = new AtomicInteger();
    private final AtomicInteger sharedObjects = new AtomicInteger();

    /**
     * @param pmm where every frame comes from; its page size must be the format's
     * @param ram the guest RAM holding every frame {@code pmm} hands out
     * @param cpus how many CPUs make accesses (one TLB each)
     * @param crossCall how a shootdown reaches the other CPUs
     * @throws IllegalArgumentException if the page sizes differ or {@code cpus} is not positive
     */
    public PagedVirtualMemoryManager(PhysicalMemoryManager pmm, PhysicalMemory ram, PageTableFormat format, int cpus,
            CrossCall crossCall) {
        if (pmm.pageSize() != format.pageSize()) {
            throw new IllegalArgumentException("the PMM's frames are " + pmm.pageSize() + " bytes, but " + format.name()
                    + " maps " + format.pageSize() + "-byte pages");
        }
        if (cpus <= 0) {
            throw new IllegalArgumentException("a virtual memory manager needs at least one CPU, not " + cpus);
        }
        this.pmm = pmm;
        this.ram = ram;
        this.format = format;
        this.frames = new ZeroedFrameSource(pmm, ram);
        this.crossCall = crossCall;
        this.tlbs = new SoftwareTlb[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            tlbs[cpu] = new SoftwareTlb(cpu);
        }
    }

    @Override
    public PageTableFormat format() {
        return format;
    }

    @Override
    public int cpus() {
        return tlbs.length;
    }

    @Override
    public AddressSpace createAddressSpace() {
        return newAddressSpace();
    }

    @Override
    public SharedMemory createSharedMemory(long size) {
        if (size <= 0 || size % format.pageSize() != 0) {
            throw new IllegalArgumentException("shared memory of 0x" + Long.toHexString(size)
                    + " bytes: the size must be a positive multiple of the page size " + format.pageSize());
        }
        long frames = pmm.statistics().totalFrames();
        if (size / format.pageSize() > frames) {
            throw new IllegalArgumentException("shared memory of 0x" + Long.toHexString(size) + " bytes: more than the "
                    + frames + " frames of RAM the PMM manages");
        }
        return new AnonymousSharedMemory(this, sharedObjects.incrementAndGet(), size);
    }

    @Override
    public TlbStatistics tlbStatistics(int cpu) {
        return tlb(cpu).statistics();
    }

    PagedAddressSpace newAddressSpace() {
        return new PagedAddressSpace(this, spaces.incrementAndGet(), format.create(ram, frames));
    }

    int pageSize() {
        return format.pageSize();
    }

    SoftwareTlb tlb(int cpu) {
        if (cpu < 0 || cpu >= tlbs.length) {
            throw new IllegalArgumentException("no CPU " + cpu + ": CPUs are 0.." + (tlbs.length - 1));
        }
        return tlbs[cpu];
    }

    FrameReferences references() {
        return references;
    }

    /** Removes the entries of {@code space} for {@code spans} (all of them if null) from the TLBs of {@code cpus}. */
    void shootdown(int space, BitSet cpus, List<PageSpan> spans) {
        crossCall.runOn(cpus, cpu -> tlb(cpu).invalidate(space, spans));
    }

    MemorySegment ram(long physical, int length) {
        return ram.slice(physical, length);
    }

    /**
     * A zeroed frame.
     *
     * @throws OutOfFramesException with the PMM's message if none is free
     */
    long zeroedFrame() {
        return frames.allocate();
    }

    /** A new frame holding a copy of {@code frame}. */
    long copyOf(long frame) {
        long copy;
        try {
            copy = pmm.allocate(0);
        } catch (OutOfPhysicalMemoryException e) {
            throw new OutOfFramesException(e.getMessage());
        }
        MemorySegment.copy(ram.slice(frame, format.pageSize()), 0, ram.slice(copy, format.pageSize()), 0,
                format.pageSize());
        return copy;
    }

    /** Drops a private frame's reference and frees it if it was the last. */
    void releaseFrame(long frame) {
        if (references.release(frame)) {
            freeFrame(frame);
        }
    }

    void freeFrame(long frame) {
        frames.free(frame);
    }
}

package org.astralisp.hal.api.paging.spi;

import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SequencedSet;
import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * The tables of one page-table tree, carved from frames of a {@link FrameSource}: a table of any
 * power-of-two size up to the frame size, aligned to its size. With 4 KiB tables in 4 KiB frames each
 * table is a frame; a 64 KiB radix frame holds one root, sixteen 4 KiB directories or 256 PTE tables of
 * 256 bytes (radix tables are aligned to their size, PowerISA 3.0 Book III §5.7, Radix Tree Translation; Linux carves its
 * PTE fragments the same way).
 *
 * <p>Invariants: each frame holds tables of one size only; a frame is in {@code carved} exactly while
 * this allocator holds it, and goes back to the source when its last table is freed; a frame with a
 * free slot is in {@code withRoom} for its size. Every slot handed out is zero, because frames come
 * zeroed and the page table frees a table only when all its entries are zero again.
 */
final class TableAllocator {

    /** The tables of one frame: their size and which slots are in use. */
    private record Carving(int tableBytes, BitSet used) {
    }

    private final FrameSource source;
    private final PhysicalMemory ram;
    private final int frameSize;
    private final Map<Long, Carving> carved = new HashMap<>();
    private final Map<Integer, SequencedSet<Long>> withRoom = new HashMap<>();

    TableAllocator(FrameSource source, PhysicalMemory ram) {
        this.source = source;
        this.ram = ram;
        this.frameSize = source.frameSize();
    }

    /** A zeroed table of {@code tableBytes} (a power of two, at most the frame size), aligned to its size. */
    long allocate(int tableBytes) {
        SequencedSet<Long> open = withRoom.computeIfAbsent(tableBytes, size -> new LinkedHashSet<>());
        if (open.isEmpty()) {
            long frame = takeFrame();
            carved.put(frame, new Carving(tableBytes, new BitSet()));
            open.add(frame);
        }
        long frame = open.getFirst();
        BitSet used = carved.get(frame).used();
        int slot = used.nextClearBit(0);
        used.set(slot);
        if (used.cardinality() == frameSize / tableBytes) {
            open.remove(frame);
        }
        return frame + (long) slot * tableBytes;
    }

    /** Takes back a table that {@link #allocate} handed out; its entries must all be zero. */
    void free(long table) {
        long frame = table & -frameSize;
        Carving carving = carved.get(frame);
        carving.used().clear((int) ((table - frame) / carving.tableBytes()));
        SequencedSet<Long> open = withRoom.get(carving.tableBytes());
        if (carving.used().isEmpty()) {
            carved.remove(frame);
            open.remove(frame);
            source.free(frame);
        } else {
            open.add(frame);
        }
    }

    /** Gives every frame back to the source, whatever its tables hold. */
    void releaseAll() {
        carved.keySet().forEach(source::free);
        carved.clear();
        withRoom.clear();
    }

    private long takeFrame() {
        long frame = source.allocate();
        long offset = frame - ram.base();
        if ((frame & (frameSize - 1)) != 0 || offset < 0 || offset > ram.size() - frameSize) {
            throw new IllegalStateException("the frame source handed out " + String.format("%#x", frame)
                    + ", which is not a " + frameSize + "-byte aligned frame in RAM "
                    + String.format("[%#x, %#x)", ram.base(), ram.base() + ram.size()));
        }
        return frame;
    }
}

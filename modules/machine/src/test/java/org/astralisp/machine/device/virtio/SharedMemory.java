package org.astralisp.machine.device.virtio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.astralisp.machine.port.PhysicalMemory;

/** Guest RAM for transport tests: a zeroed off-heap segment in a shared arena (the worker thread reaches it too). */
final class SharedMemory implements PhysicalMemory, AutoCloseable {

    private final long base;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    SharedMemory(long base, long size) {
        this.base = base;
        this.segment = arena.allocate(size, 4096);
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public MemorySegment slice(long physical, long length) {
        return segment.asSlice(physical - base, length);
    }

    @Override
    public void close() {
        arena.close();
    }
}

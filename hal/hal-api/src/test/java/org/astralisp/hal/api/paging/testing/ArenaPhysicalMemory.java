package org.astralisp.hal.api.paging.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.astralisp.machine.port.PhysicalMemory;

/** Guest RAM for tests: {@code size} zeroed bytes at guest-physical {@code base}, in a confined arena. */
public final class ArenaPhysicalMemory implements PhysicalMemory, AutoCloseable {

    private final Arena arena = Arena.ofConfined();
    private final long base;
    private final MemorySegment segment;

    public ArenaPhysicalMemory(long base, long size) {
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
        if (physical < base || length < 0 || physical - base > size() - length) {
            throw new IllegalArgumentException(String.format("[%#x, %#x) is not all RAM", physical, physical + length));
        }
        return segment.asSlice(physical - base, length);
    }

    /** The bytes at {@code physical}, as they are in RAM. */
    public byte[] bytes(long physical, int length) {
        return slice(physical, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Override
    public void close() {
        arena.close();
    }
}

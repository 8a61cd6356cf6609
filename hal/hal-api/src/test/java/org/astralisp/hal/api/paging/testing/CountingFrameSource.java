package org.astralisp.hal.api.paging.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * Frames for tests: handed out in ascending order from {@code first}, freed ones reused last-in
 * first-out, at most {@code limit} outstanding. Poisons a frame when it is freed (every byte 0xA5), so
 * that a table still used after its frame went back shows up as garbage, and refuses to take back a frame
 * it did not hand out (a double free).
 */
public final class CountingFrameSource implements FrameSource {

    private static final byte POISON = (byte) 0xA5;

    private final PhysicalMemory ram;
    private final int frameSize;
    private final int limit;
    private final Deque<Long> freed = new ArrayDeque<>();
    private final Set<Long> outstanding = new HashSet<>();
    private long next;

    public CountingFrameSource(PhysicalMemory ram, int frameSize, long first, int limit) {
        this.ram = ram;
        this.frameSize = frameSize;
        this.next = first;
        this.limit = limit;
    }

    /** Frames from {@code first} to the end of RAM. */
    public CountingFrameSource(PhysicalMemory ram, int frameSize, long first) {
        this(ram, frameSize, first, Integer.MAX_VALUE);
    }

    @Override
    public int frameSize() {
        return frameSize;
    }

    @Override
    public long allocate() {
        if (outstanding.size() == limit || freed.isEmpty() && next - ram.base() > ram.size() - frameSize) {
            throw new OutOfFramesException("test frame source: " + outstanding.size() + " frames out");
        }
        long frame = freed.isEmpty() ? advance() : freed.pop();
        ram.slice(frame, frameSize).fill((byte) 0);
        outstanding.add(frame);
        return frame;
    }

    @Override
    public void free(long frame) {
        if (!outstanding.remove(frame)) {
            throw new IllegalStateException(String.format("frame %#x was not handed out (double free?)", frame));
        }
        ram.slice(frame, frameSize).fill(POISON);
        freed.push(frame);
    }

    /** How many frames are handed out and not yet freed. */
    public int outstanding() {
        return outstanding.size();
    }

    private long advance() {
        long frame = next;
        next += frameSize;
        return frame;
    }
}

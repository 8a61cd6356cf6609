package org.astralisp.kernel.vm;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.vm.SharedMemory;

/**
 * A shared memory object: one frame per page, allocated zeroed the first time a space touches it, the
 * same frame for every space that maps the page.
 *
 * <p>Invariants, under {@link #lock}: {@code frames[i]} is the frame of page {@code i} or {@link #NONE};
 * {@code references} counts the creator's handle while open plus one per region (or region piece) of any
 * space that maps the object; when it reaches zero every frame goes back to the PMM and the object is
 * gone. A space releases its region's reference only after the shootdown that removed the object's
 * pages from every TLB, so a frame is never freed while a TLB still translates to it.
 */
final class AnonymousSharedMemory implements SharedMemory {

    private static final long NONE = -1;

    private final PagedVirtualMemoryManager owner;
    private final int number;
    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] frames;
    private int references = 1;
    private boolean open = true;

    AnonymousSharedMemory(PagedVirtualMemoryManager owner, int number, long size) {
        this.owner = owner;
        this.number = number;
        this.size = size;
        this.frames = new long[Math.toIntExact(size / owner.pageSize())];
        Arrays.fill(frames, NONE);
    }

    PagedVirtualMemoryManager owner() {
        return owner;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long residentPages() {
        lock.lock();
        try {
            return Arrays.stream(frames).filter(frame -> frame != NONE).count();
        } finally {
            lock.unlock();
        }
    }

    /** The frame of page {@code index}, allocated and zeroed now if it has none. */
    long frame(int index) {
        lock.lock();
        try {
            if (references == 0) {
                throw new IllegalStateException(this + " is gone");
            }
            if (frames[index] == NONE) {
                frames[index] = owner.zeroedFrame();
            }
            return frames[index];
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new region maps the object.
     *
     * @throws IllegalStateException if the creator closed it and no region maps it any more
     */
    void retainForMap() {
        lock.lock();
        try {
            if (!open) {
                throw new IllegalStateException(this + " is closed: it can no longer be mapped");
            }
            references++;
        } finally {
            lock.unlock();
        }
    }

    /** A region that maps it was split in two (or copied into a clone): one more piece refers to it. */
    void retain() {
        lock.lock();
        try {
            if (references == 0) {
                throw new IllegalStateException(this + " is gone");
            }
            references++;
        } finally {
            lock.unlock();
        }
    }

    /** A region piece no longer maps it; the last reference frees every frame. */
    void release() {
        lock.lock();
        try {
            if (references == 0) {
                throw new IllegalStateException(this + " is gone");
            }
            if (--references == 0) {
                for (int i = 0; i < frames.length; i++) {
                    if (frames[i] != NONE) {
                        owner.freeFrame(frames[i]);
                        frames[i] = NONE;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!open) {
                throw new IllegalStateException(this + " is already closed");
            }
            open = false;
        } finally {
            lock.unlock();
        }
        release();
    }

    @Override
    public String toString() {
        return "shared memory " + number + " (0x" + Long.toHexString(size) + " bytes)";
    }
}

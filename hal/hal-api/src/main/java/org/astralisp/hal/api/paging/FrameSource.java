package org.astralisp.hal.api.paging;

/**
 * Where a page table gets the physical frames its tables live in; the kernel's PMM implements it.
 *
 * <p>Contract: {@link #allocate()} returns the guest-physical address of a frame of
 * {@link #frameSize()} bytes that is in RAM, aligned to its size, zero-filled, and not handed out
 * again until it comes back through {@link #free(long)}. A table returns frames only when it no longer
 * uses them; their contents are then undefined.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface FrameSource {

    /** The size of every frame, a power of two; page tables need the format's page size. */
    int frameSize();

    /**
     * A zeroed, size-aligned frame.
     *
     * @throws OutOfFramesException if no frame is left
     */
    long allocate();

    /** Takes back a frame that {@link #allocate()} handed out. */
    void free(long frame);
}

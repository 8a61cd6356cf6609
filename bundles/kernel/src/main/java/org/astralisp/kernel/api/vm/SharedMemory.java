package org.astralisp.kernel.api.vm;

/**
 * A shared memory object: pages that several address spaces map at once ({@link Backing#shared}),
 * each page one frame, allocated and zeroed the first time any space touches it.
 *
 * <p>Its frames live as long as the creator's handle is open or a region maps it: {@link #close()}
 * gives up the handle, and the frames go back to the PMM when the last region mapping the object is
 * unmapped (or its space destroyed) after that.
 */
public interface SharedMemory {

    /** The size in bytes, a positive multiple of the page size. */
    long size();

    /** How many of its pages have a frame (have been touched through some space). */
    long residentPages();

    /**
     * Gives up the creator's handle; the object can no longer be mapped.
     *
     * @throws IllegalStateException if it is already closed
     */
    void close();
}

package org.astralisp.hal.api.paging;

import java.nio.ByteOrder;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * One architecture's page-table format: its geometry, what its entries can express, and a factory for
 * tables in guest RAM. Registered as an OSGi service by the active arch bundle, with the service
 * property {@code arch} ({@code x86_64}, {@code riscv64}, {@code ppc64}) and {@code paging} naming the
 * format.
 *
 * <p>Levels are numbered from the last table up: level 0 holds the leaf entries that map pages, level
 * {@code levels() - 1} is the root.
 */
@org.osgi.annotation.versioning.ProviderType
public interface PageTableFormat {

    /** A short human name, e.g. {@code x86-64 4-level}, {@code Sv39}, {@code radix 64K}. */
    String name();

    /** The base page size in bytes: 4096 (x86-64, RISC-V) or 65536 (ppc64 radix). */
    int pageSize();

    /** How many table levels a walk goes through. */
    int levels();

    /** How many bits of a virtual address the tables translate (48, 39, 52, …). */
    int virtualAddressBits();

    /** How wide a physical address an entry can hold. */
    int physicalAddressBits();

    /** The byte order of entries in RAM: little-endian except the PowerISA radix tree. */
    ByteOrder byteOrder();

    /**
     * Whether a virtual address is in the translated range: canonical on x86-64 (bits 63:47 equal),
     * bits 63:39 (Sv39) or 63:48 (Sv48) equal to the top translated bit on RISC-V, below 2^52 for the
     * radix tree (whose quadrant bits 63:62 pick the tree and are the caller's to strip).
     */
    boolean inRange(long virtualAddress);

    /** Whether the entries can express these permissions; {@link PageTable#map} refuses those they cannot. */
    boolean supports(Permissions permissions);

    /**
     * A new, empty table: allocates the root table from {@code frames}.
     *
     * @throws IllegalArgumentException if {@code frames} does not hand out frames of {@link #pageSize()}
     * @throws OutOfFramesException if there is no frame for the root
     */
    PageTable create(PhysicalMemory ram, FrameSource frames);
}

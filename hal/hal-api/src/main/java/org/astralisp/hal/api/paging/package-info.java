/**
 * Page tables in guest RAM, in each architecture's real format (ARCHITECTURE §2, §5).
 *
 * <p>The arch bundle that is active registers one {@link org.astralisp.hal.api.paging.PageTableFormat}
 * service (with the service property {@code arch}); the kernel's VMM creates a
 * {@link org.astralisp.hal.api.paging.PageTable} per address space from it, handing it guest RAM and a
 * {@link org.astralisp.hal.api.paging.FrameSource} for the table frames. Everything a table holds is in
 * guest RAM, bit-exact to the specification, so that what the walk reads is what the hardware would
 * read: Intel SDM Vol. 3A §4.5 (4-level paging), the RISC-V privileged specification §4.4/§4.5
 * (Sv39/Sv48), PowerISA 3.0 Book III §5.7 (radix tree, big-endian entries).
 *
 * <p>Errors are specific exceptions, all subclasses of
 * {@link org.astralisp.hal.api.paging.PageTableException}, that name the virtual address and, for a
 * malformed entry, the level and the raw entry value. See {@code docs/hal.md}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.paging;

/**
 * The physical memory manager's API: frames of the architecture's page size
 * handed out in power-of-two blocks, contiguous allocation for DMA below an
 * address limit, zones and their statistics.
 *
 * <p>Addresses are guest-physical byte addresses ({@code long}); a block of
 * order {@code k} is {@code 2^k} frames, aligned to its own size.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.kernel.api.mm;

/**
 * For the arch bundles that provide a {@link org.astralisp.hal.api.paging.PageTableFormat}: a format
 * that is a tree of tables of 64-bit entries — x86-64 4-level paging, RISC-V Sv39/Sv48, the PowerISA
 * radix tree — states its geometry and its entry encoding by extending
 * {@link org.astralisp.hal.api.paging.spi.TreePageTableFormat}, and gets the walk, the allocation of
 * tables (including tables smaller than a frame), the freeing of empty tables and the error reporting
 * from here, written and tested once. Consumers of the paging API never import this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.paging.spi;

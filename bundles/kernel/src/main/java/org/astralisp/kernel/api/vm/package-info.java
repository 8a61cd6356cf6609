/**
 * The virtual memory manager's API: address spaces whose page tables live in
 * guest RAM in the architecture's format, regions mapped with permissions
 * (anonymous demand-zero or shared), copy-on-write cloning, data access
 * through a per-CPU software TLB, and the errors a bad request or a bad
 * access gets.
 *
 * <p>Virtual addresses are {@code long}s compared as unsigned numbers (x86-64
 * and RISC-V kernel addresses have bit 63 set); every range is page-aligned
 * and lies in the format's translated addresses.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.kernel.api.vm;

package org.astralisp.hal.ppc64.paging;

import java.nio.ByteOrder;
import java.util.Optional;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat;
import org.osgi.service.component.annotations.Component;

/**
 * The PowerISA 3.0 radix tree (Book III §5.7, Radix Tree Translation) with 64 KiB pages and a 52-bit tree (RTS = 52), in
 * the geometry Linux uses on POWER9: effective-address bits 51:39 index the root (PGD, 8192 entries,
 * 64 KiB), 38:30 the PUD (512 entries, 4 KiB), 29:21 the PMD (512, 4 KiB), 20:16 the PTE table (32
 * entries, 256 bytes); 15:0 are the offset. Tables are aligned to their size; entries are
 * <b>big-endian</b> doublewords. The ISA numbers bits from the most significant (bit 0 = 2^63); the
 * constants below are the values of those bits in a {@code long}.
 *
 * <pre>
 * directory (PDE): 0 V | 1 L=0 | 2:3 reserved | 4:55 NLB (next table, bits 59:8) | 56:58 reserved | 59:63 NLS
 * leaf (PTE):      0 V | 1 L=1 | 2 SW | 3:6 reserved | 7:51 RPN | 52:54 SW | 55 R | 56 C | 57 reserved
 *                  | 58:59 ATT | 60:63 EAA (60 privileged, 61 read, 62 read/write, 63 execute)
 * </pre>
 *
 * <p>The tree translates EA bits 51:0; EA bits 63:62 (the quadrant) choose which tree (process-table
 * entry of the PID, or PID 0 for the kernel's quadrant 3) and are the caller's to strip, bits 61:52
 * must be zero. The radix PTE has no global bit, so global permissions are refused. The machine updates
 * R and C in hardware (§5.7, Reference and Change Recording). RPN bits below the 64 KiB page (bits 48:51, values 15:12) are ignored.
 * ATT is written 0b00 (normal memory) and not interpreted.
 */
@Component(service = PageTableFormat.class, property = {"arch=ppc64", "paging=radix-64k"})
public final class RadixPageTableFormat extends TreePageTableFormat {

    static final long V = 1L << 63;
    static final long L = 1L << 62;
    /** PDE bits 2:3 and 56:58. */
    static final long DIRECTORY_RESERVED = 0x3000_0000_0000_00E0L;
    /** PDE bits 4:55: the next-level base, a real address aligned to 256 bytes. */
    static final long NLB = 0x0FFF_FFFF_FFFF_FF00L;
    /** PDE bits 59:63: log2 of the next table's number of entries. */
    static final long NLS = 0x1FL;
    /** PTE bits 3:6 and 57. */
    static final long LEAF_RESERVED = 0x1E00_0000_0000_0040L;
    /** PTE bits 7:51: the real page number, real-address bits 56:12. */
    static final long RPN = 0x01FF_FFFF_FFFF_F000L;
    /** PTE bit 55, Reference. */
    static final long R = 1L << 8;
    /** PTE bit 56, Change. */
    static final long C = 1L << 7;
    /** EAA bit 0 (PTE bit 60): privileged access only. */
    static final long PRIVILEGED = 1L << 3;
    /** EAA bit 1 (PTE bit 61): read. */
    static final long READ = 1L << 2;
    /** EAA bit 2 (PTE bit 62): read/write. */
    static final long READ_WRITE = 1L << 1;
    /** EAA bit 3 (PTE bit 63): execute. */
    static final long EXECUTE = 1L;

    private static final String[] LEVEL_NAMES = {"PTE table", "PMD", "PUD", "PGD"};

    public RadixPageTableFormat() {
        super(16, 57, UpperBits.ZERO, 13, 9, 9, 5);
    }

    @Override
    public String name() {
        return "radix 64K";
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    protected String levelName(int level) {
        return LEVEL_NAMES[level];
    }

    @Override
    protected Optional<String> unsupportedReason(Permissions permissions) {
        if (permissions.global()) {
            return Optional.of("radix PTEs have no global bit; share kernel mappings through the PID 0 tree (quadrant 3)");
        }
        if (permissions.write() && !permissions.read()) {
            return Optional.of("the EAA read/write bit grants read as well (PowerISA 3.0 Book III §5.7, Radix Tree Page Table Entry)");
        }
        return Optional.empty();
    }

    @Override
    protected boolean present(long entry) {
        return (entry & V) != 0;
    }

    @Override
    protected long directoryEntry(long table, int level) {
        return V | table | indexBits(level - 1);
    }

    @Override
    protected long nextTable(long virtualAddress, int level, long entry) {
        if ((entry & L) != 0) {
            requireNoReservedLeafBits(virtualAddress, level, entry);
            throw unsupported(virtualAddress, level, entry,
                    "a leaf (L=1) here maps a " + spanName(level) + " page; this table maps 64 KiB pages only");
        }
        if ((entry & DIRECTORY_RESERVED) != 0) {
            throw reserved(virtualAddress, level, entry, "bits 2:3 and 56:58 of a radix directory entry are reserved");
        }
        long nls = entry & NLS;
        if (nls != indexBits(level - 1)) {
            throw unsupported(virtualAddress, level, entry, "NLS=" + nls + " makes the next table 2^" + nls + " entries; this tree's "
                    + levelName(level - 1) + " has 2^" + indexBits(level - 1) + " (the 13/9/9/5 geometry of 64 KiB pages)");
        }
        return entry & NLB;
    }

    @Override
    protected Translation decodeLeaf(long virtualAddress, long entry) {
        if ((entry & L) == 0) {
            throw reserved(virtualAddress, 0, entry, "a directory entry (L=0) in the last level, which has no level below");
        }
        requireNoReservedLeafBits(virtualAddress, 0, entry);
        Permissions permissions = new Permissions((entry & (READ | READ_WRITE)) != 0, (entry & READ_WRITE) != 0,
                (entry & EXECUTE) != 0, (entry & PRIVILEGED) == 0, false);
        return new Translation(entry & RPN & -pageSize(), permissions, (entry & R) != 0, (entry & C) != 0);
    }

    @Override
    protected long leafEntry(long physical, Permissions permissions) {
        return V | L | physical | permissionBits(permissions);
    }

    @Override
    protected long permissionMask() {
        return PRIVILEGED | READ | READ_WRITE | EXECUTE;
    }

    @Override
    protected long permissionBits(Permissions permissions) {
        return (permissions.read() ? READ : 0) | (permissions.write() ? READ_WRITE : 0) | (permissions.execute() ? EXECUTE : 0)
                | (permissions.user() ? 0 : PRIVILEGED);
    }

    @Override
    protected long accessedBit() {
        return R;
    }

    @Override
    protected long dirtyBit() {
        return C;
    }

    /**
     * Doubleword 0 of a process-table entry (Book III §5.7, Process Table): RTS = tree size - 31 split into RTS1
     * (bits 1:2) and RTS2 (bits 56:58), RPDB (bits 4:55) the root's address, RPDS (bits 59:63) log2 of
     * the root's entries. Stored big-endian in the process table, like the tree.
     */
    @Override
    protected long rootDescriptor(long root) {
        long rts = virtualAddressBits() - 31;
        return (rts >>> 3) << 61 | root | (rts & 0b111) << 5 | indexBits(levels() - 1);
    }

    private void requireNoReservedLeafBits(long virtualAddress, int level, long entry) {
        if ((entry & LEAF_RESERVED) != 0) {
            throw reserved(virtualAddress, level, entry, "bits 3:6 and 57 of a radix PTE are reserved");
        }
    }
}

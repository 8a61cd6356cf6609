package org.astralisp.hal.riscv64.paging;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat;

/**
 * RISC-V page-based virtual memory with 4 KiB pages (privileged specification §4.3): Sv39 (§4.4) and
 * Sv48 (§4.5) differ only in the number of 9-bit VPN fields. Every table is 512 little-endian 8-byte
 * PTEs in a 4 KiB frame:
 *
 * <pre>
 *  63  62:61 60:54    53:10  9:8 7 6 5 4 3 2 1 0
 *   N  PBMT  reserved  PPN   RSW D A G U X W R V
 * </pre>
 *
 * <p>The machine implements neither Svnapot nor Svpbmt, so bits 63:54 of a valid PTE are all reserved.
 * It updates A and D in hardware (the scheme of §4.3.1 that Svadu names) instead of faulting. R=W=X=0
 * marks a pointer to the next level, W=1 with R=0 is reserved, and A, D and U are reserved in a pointer.
 */
abstract sealed class SvPageTableFormat extends TreePageTableFormat permits Sv39PageTableFormat, Sv48PageTableFormat {

    static final long V = 1L;
    static final long R = 1L << 1;
    static final long W = 1L << 2;
    static final long X = 1L << 3;
    static final long U = 1L << 4;
    static final long G = 1L << 5;
    static final long A = 1L << 6;
    static final long D = 1L << 7;
    static final int PPN_SHIFT = 10;
    static final long PPN_MASK = (1L << 44) - 1;
    /** Bits 63:54: N, PBMT and the bits reserved for future standard use. */
    static final long UPPER = ~((1L << 54) - 1);

    private final String name;
    private final long satpMode;

    /**
     * @param levels 3 for Sv39, 4 for Sv48
     * @param satpMode the {@code satp.MODE} value selecting this scheme (§4.1.11): 8 for Sv39, 9 for Sv48
     */
    SvPageTableFormat(String name, int levels, long satpMode) {
        super(12, 56, UpperBits.SIGN_EXTENDED, nines(levels));
        this.name = name;
        this.satpMode = satpMode;
    }

    private static int[] nines(int levels) {
        int[] bits = new int[levels];
        Arrays.fill(bits, 9);
        return bits;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    /** The table at level i is indexed by VPN[i] (§4.3.2). */
    @Override
    protected String levelName(int level) {
        return "VPN[" + level + "]";
    }

    @Override
    protected Optional<String> unsupportedReason(Permissions permissions) {
        if (permissions.write() && !permissions.read()) {
            return Optional.of("W=1 with R=0 is reserved (privileged spec §4.3.1)");
        }
        if (!permissions.read() && !permissions.execute()) {
            return Optional.of("R=W=X=0 marks a pointer to the next level, not a page; leave the page unmapped to forbid all access");
        }
        return Optional.empty();
    }

    @Override
    protected boolean present(long entry) {
        return (entry & V) != 0;
    }

    @Override
    protected long directoryEntry(long table, int level) {
        return (table >>> 12) << PPN_SHIFT | V;
    }

    /** Steps 3 to 5 of the walk (§4.3.2) for a valid PTE at level i &gt; 0. */
    @Override
    protected long nextTable(long virtualAddress, int level, long entry) {
        requireNoReservedEncoding(virtualAddress, level, entry);
        if ((entry & (R | X)) != 0) {
            if ((ppn(entry) & ((1L << 9 * level) - 1)) != 0) {
                throw reserved(virtualAddress, level, entry,
                        "misaligned superpage: PPN[" + (level - 1) + ":0] must be zero (privileged spec §4.3.2 step 6)");
            }
            throw unsupported(virtualAddress, level, entry, "a leaf at level " + level + " maps a " + spanName(level)
                    + " superpage; this table maps 4 KiB pages only");
        }
        if ((entry & (A | D | U)) != 0) {
            throw reserved(virtualAddress, level, entry, "A, D and U are reserved in a non-leaf PTE (privileged spec §4.3.1)");
        }
        return ppn(entry) << 12;
    }

    @Override
    protected Translation decodeLeaf(long virtualAddress, long entry) {
        requireNoReservedEncoding(virtualAddress, 0, entry);
        if ((entry & (R | W | X)) == 0) {
            throw reserved(virtualAddress, 0, entry, "a pointer (R=W=X=0) at level 0 (privileged spec §4.3.2 step 4)");
        }
        Permissions permissions = new Permissions((entry & R) != 0, (entry & W) != 0, (entry & X) != 0, (entry & U) != 0,
                (entry & G) != 0);
        return new Translation(ppn(entry) << 12, permissions, (entry & A) != 0, (entry & D) != 0);
    }

    /** G in a pointer makes every mapping below it global (§4.3.1). */
    @Override
    protected Permissions throughDirectory(Permissions below, long entry, int level) {
        return (entry & G) != 0 ? below.withGlobal(true) : below;
    }

    @Override
    protected long leafEntry(long physical, Permissions permissions) {
        return (physical >>> 12) << PPN_SHIFT | V | permissionBits(permissions);
    }

    @Override
    protected long permissionMask() {
        return R | W | X | U | G;
    }

    @Override
    protected long permissionBits(Permissions permissions) {
        return (permissions.read() ? R : 0) | (permissions.write() ? W : 0) | (permissions.execute() ? X : 0)
                | (permissions.user() ? U : 0) | (permissions.global() ? G : 0);
    }

    @Override
    protected long accessedBit() {
        return A;
    }

    @Override
    protected long dirtyBit() {
        return D;
    }

    /** {@code satp}: MODE in bits 63:60, ASID 0 in bits 59:44, the root's PPN in bits 43:0 (§4.1.11). */
    @Override
    protected long rootDescriptor(long root) {
        return satpMode << 60 | root >>> 12;
    }

    private void requireNoReservedEncoding(long virtualAddress, int level, long entry) {
        if ((entry & UPPER) != 0) {
            throw reserved(virtualAddress, level, entry,
                    "bits 63:54 are reserved (60:54 always; N and PBMT without Svnapot and Svpbmt) (privileged spec §4.4.1)");
        }
        if ((entry & (W | R)) == W) {
            throw reserved(virtualAddress, level, entry, "W=1 with R=0 is reserved (privileged spec §4.3.1)");
        }
    }

    private static long ppn(long entry) {
        return entry >>> PPN_SHIFT & PPN_MASK;
    }
}

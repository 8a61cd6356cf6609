package org.astralisp.hal.x86_64.paging;

import java.nio.ByteOrder;
import java.util.Optional;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat;
import org.osgi.service.component.annotations.Component;

/**
 * x86-64 4-level paging with 4 KiB pages (Intel SDM Vol. 3A §4.5): a 48-bit canonical linear address
 * splits into four 9-bit indices (PML4 47:39, PDPT 38:30, PD 29:21, PT 20:12) and a 12-bit offset;
 * every table is 512 little-endian 8-byte entries in a 4 KiB frame.
 *
 * <p>The machine runs with CR4.PAE=1, EFER.LME=1, EFER.NXE=1 (bit 63 is XD, not reserved), CR4.PKE=0
 * (bits 62:59 ignored), CR0.WP=1, and MAXPHYADDR {@value #MAXPHYADDR}
 * (CPUID.80000008H:EAX[7:0]), so bits 51:46 of every present entry are reserved (§4.7 RSVD; Tables
 * 4-15 to 4-20). Directory entries are written P|R/W|U/S and restrict nothing; the leaf alone carries a
 * page's permissions, but a walk combines all four levels as the processor does (§4.6).
 */
@Component(service = PageTableFormat.class, property = {"arch=x86_64", "paging=4-level"})
public final class FourLevelPageTableFormat extends TreePageTableFormat {

    /** Physical-address width of the x86_64 machine model. */
    static final int MAXPHYADDR = 46;

    static final long P = 1L;
    static final long RW = 1L << 1;
    static final long US = 1L << 2;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7;
    static final long G = 1L << 8;
    static final long XD = 1L << 63;
    /** Bits (MAXPHYADDR-1):12: the physical address of the next table or of the page. */
    static final long ADDRESS = ((1L << MAXPHYADDR) - 1) & ~0xFFFL;
    /** Bits 51:MAXPHYADDR, reserved in every present entry. */
    static final long RESERVED_ADDRESS = ((1L << 52) - 1) & ~((1L << MAXPHYADDR) - 1);

    private static final String[] LEVEL_NAMES = {"PT", "PD", "PDPT", "PML4"};

    public FourLevelPageTableFormat() {
        super(12, MAXPHYADDR, UpperBits.SIGN_EXTENDED, 9, 9, 9, 9);
    }

    @Override
    public String name() {
        return "x86-64 4-level";
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    protected String levelName(int level) {
        return LEVEL_NAMES[level];
    }

    @Override
    protected Optional<String> unsupportedReason(Permissions permissions) {
        return permissions.read()
                ? Optional.empty()
                : Optional.of("a present x86-64 page is always readable (SDM Vol. 3A §4.6); leave it unmapped to forbid reads");
    }

    @Override
    protected boolean present(long entry) {
        return (entry & P) != 0;
    }

    @Override
    protected long directoryEntry(long table, int level) {
        return table | P | RW | US;
    }

    /** PML4E, PDPTE or PDE referencing a table (SDM Vol. 3A Tables 4-15, 4-17, 4-19). */
    @Override
    protected long nextTable(long virtualAddress, int level, long entry) {
        requireNoReservedAddressBits(virtualAddress, level, entry);
        if ((entry & PS) != 0) {
            if (level == levels() - 1) {
                throw reserved(virtualAddress, level, entry, "PS (bit 7) is reserved in a PML4E (SDM Vol. 3A Table 4-15)");
            }
            long reservedLow = (span(level) - 1) & ~0x1FFFL;
            if ((entry & reservedLow) != 0) {
                throw reserved(virtualAddress, level, entry, "bits " + (Long.numberOfTrailingZeros(span(level)) - 1)
                        + ":13 of an entry mapping a " + spanName(level) + " page are reserved (SDM Vol. 3A Tables 4-16, 4-18)");
            }
            throw unsupported(virtualAddress, level, entry,
                    "PS=1 maps a " + spanName(level) + " page; this table maps 4 KiB pages only");
        }
        return entry & ADDRESS;
    }

    /** A PTE mapping a 4 KiB page (SDM Vol. 3A Table 4-20); PAT (bit 7), bits 11:9 and 62:52 are not interpreted. */
    @Override
    protected Translation decodeLeaf(long virtualAddress, long entry) {
        requireNoReservedAddressBits(virtualAddress, 0, entry);
        Permissions permissions = new Permissions(true, (entry & RW) != 0, (entry & XD) == 0, (entry & US) != 0, (entry & G) != 0);
        return new Translation(entry & ADDRESS, permissions, (entry & A) != 0, (entry & D) != 0);
    }

    /** The access rights of a translation are the intersection over all levels (SDM Vol. 3A §4.6.1). */
    @Override
    protected Permissions throughDirectory(Permissions below, long entry, int level) {
        return below.limitedTo((entry & RW) != 0, (entry & XD) == 0, (entry & US) != 0);
    }

    /** The processor sets A in every paging-structure entry it uses (SDM Vol. 3A §4.8). */
    @Override
    protected long touchDirectory(long entry, int level) {
        return entry | A;
    }

    @Override
    protected long leafEntry(long physical, Permissions permissions) {
        return physical | P | permissionBits(permissions);
    }

    @Override
    protected long permissionMask() {
        return RW | US | G | XD;
    }

    @Override
    protected long permissionBits(Permissions permissions) {
        return (permissions.write() ? RW : 0) | (permissions.user() ? US : 0) | (permissions.global() ? G : 0)
                | (permissions.execute() ? 0 : XD);
    }

    @Override
    protected long accessedBit() {
        return A;
    }

    @Override
    protected long dirtyBit() {
        return D;
    }

    /** CR3 with CR4.PCIDE=0: bits 51:12 the PML4 address, PWT=PCD=0 (SDM Vol. 3A Table 4-12). */
    @Override
    protected long rootDescriptor(long root) {
        return root;
    }

    private void requireNoReservedAddressBits(long virtualAddress, int level, long entry) {
        if ((entry & RESERVED_ADDRESS) != 0) {
            throw reserved(virtualAddress, level, entry,
                    "bits 51:" + MAXPHYADDR + " are reserved above MAXPHYADDR " + MAXPHYADDR + " (SDM Vol. 3A §4.5, §4.7 RSVD)");
        }
    }
}

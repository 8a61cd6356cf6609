package org.astralisp.hal.api.paging.spi;

import java.nio.ByteOrder;
import java.util.Optional;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Translation;

/**
 * A small format for testing the shared walk: 4 KiB pages, three levels of 64, 32 and 32 entries
 * (tables of 512 and 256 bytes, several to a frame), 28-bit virtual addresses, little-endian entries
 * laid out like x86's: P 0, W 1, X 2, U 3, G 4, A 5, D 6, HUGE 7 (a leaf above level 0), bit 63
 * reserved; table addresses in bits 39:8, page addresses in bits 39:12.
 */
final class ToyPageTableFormat extends TreePageTableFormat {

    static final long P = 1, W = 2, X = 4, U = 8, G = 16, A = 32, D = 64, HUGE = 128;
    static final long RESERVED = 1L << 63;
    static final long TABLE = 0xFF_FFFF_FF00L;
    static final long PAGE = 0xFF_FFFF_F000L;

    ToyPageTableFormat(UpperBits upperBits, int... indexBitsFromRoot) {
        super(12, 40, upperBits, indexBitsFromRoot);
    }

    ToyPageTableFormat(UpperBits upperBits) {
        this(upperBits, 6, 5, 5);
    }

    ToyPageTableFormat() {
        this(UpperBits.ZERO);
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public ByteOrder byteOrder() {
        return ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    protected String levelName(int level) {
        return "L" + level;
    }

    @Override
    protected Optional<String> unsupportedReason(Permissions permissions) {
        return permissions.read() ? Optional.empty() : Optional.of("toy pages are always readable");
    }

    @Override
    protected boolean present(long entry) {
        return (entry & P) != 0;
    }

    @Override
    protected long directoryEntry(long table, int level) {
        return table | P | W | X | U;
    }

    @Override
    protected long nextTable(long virtualAddress, int level, long entry) {
        if ((entry & RESERVED) != 0) {
            throw reserved(virtualAddress, level, entry, "bit 63 is reserved");
        }
        if ((entry & HUGE) != 0) {
            throw unsupported(virtualAddress, level, entry, "a " + spanName(level) + " leaf");
        }
        return entry & TABLE;
    }

    @Override
    protected Translation decodeLeaf(long virtualAddress, long entry) {
        if ((entry & RESERVED) != 0) {
            throw reserved(virtualAddress, 0, entry, "bit 63 is reserved");
        }
        Permissions permissions = new Permissions(true, (entry & W) != 0, (entry & X) != 0, (entry & U) != 0, (entry & G) != 0);
        return new Translation(entry & PAGE, permissions, (entry & A) != 0, (entry & D) != 0);
    }

    @Override
    protected Permissions throughDirectory(Permissions below, long entry, int level) {
        return below.limitedTo((entry & W) != 0, (entry & X) != 0, (entry & U) != 0);
    }

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
        return W | X | U | G;
    }

    @Override
    protected long permissionBits(Permissions permissions) {
        return (permissions.write() ? W : 0) | (permissions.execute() ? X : 0) | (permissions.user() ? U : 0)
                | (permissions.global() ? G : 0);
    }

    @Override
    protected long accessedBit() {
        return A;
    }

    @Override
    protected long dirtyBit() {
        return D;
    }

    @Override
    protected long rootDescriptor(long root) {
        return root | 1;
    }
}

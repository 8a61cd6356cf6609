package org.astralisp.hal.api.paging.spi;

import java.util.Optional;
import java.util.StringJoiner;
import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.ReservedEntryException;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.UnsupportedEntryException;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * A page-table format that is a tree of tables of 64-bit entries, described by its geometry and its
 * entry encoding. A subclass states the bit layout of one specification; the walk itself, shared by
 * every format, is in the tables that {@link #create} makes.
 *
 * <p>Geometry: a virtual address splits, from the least significant bit, into the page offset
 * ({@code pageShift} bits), the index into the level-0 table, the index into the level-1 table, … up
 * to the root's. The level-{@code l} table has {@code 2^indexBits(l)} entries of 8 bytes and is aligned
 * to its size, which is at most the page size (so a frame holds one or more tables). The bits above the
 * root's index are either a sign extension of the top translated bit (x86-64, RISC-V) or zero (radix).
 *
 * <p>Entry decoding contract: {@link #nextTable} is called only on a present entry above level 0 and
 * {@link #decodeLeaf} only on a present entry at level 0; both throw {@link ReservedEntryException} for a
 * pattern on which the hardware would fault and {@link UnsupportedEntryException} for one this code does
 * not follow, so a walk never acts on an entry it did not understand.
 *
 * <p>Versioning: providers extend this class, so a new abstract method is a major change of the
 * package; a new concrete one is a minor change.
 */
@org.osgi.annotation.versioning.ConsumerType
public abstract class TreePageTableFormat implements PageTableFormat {

    /** What the bits above the translated ones must be. */
    protected enum UpperBits {
        /** Copies of the top translated bit (x86-64 canonical addresses, RISC-V Sv39/Sv48). */
        SIGN_EXTENDED,
        /** Zero (the radix tree's effective address below its quadrant bits). */
        ZERO
    }

    private final int pageShift;
    private final int physicalAddressBits;
    private final UpperBits upperBits;
    private final int[] indexBits;
    private final int[] shift;

    /**
     * @param pageShift log2 of the page size
     * @param physicalAddressBits how wide a physical address an entry holds
     * @param upperBits what the virtual-address bits above the translated ones must be
     * @param indexBitsFromRoot the index width of each level, the root's first
     * @throws IllegalArgumentException if a table would be larger than a page
     */
    protected TreePageTableFormat(int pageShift, int physicalAddressBits, UpperBits upperBits, int... indexBitsFromRoot) {
        this.pageShift = pageShift;
        this.physicalAddressBits = physicalAddressBits;
        this.upperBits = upperBits;
        int levels = indexBitsFromRoot.length;
        this.indexBits = new int[levels];
        this.shift = new int[levels];
        int bits = pageShift;
        for (int level = 0; level < levels; level++) {
            indexBits[level] = indexBitsFromRoot[levels - 1 - level];
            if (indexBits[level] + 3 > pageShift) {
                throw new IllegalArgumentException("a level-" + level + " table of 2^" + indexBits[level]
                        + " entries does not fit in a page of 2^" + pageShift + " bytes");
            }
            shift[level] = bits;
            bits += indexBits[level];
        }
    }

    @Override
    public final int pageSize() {
        return 1 << pageShift;
    }

    @Override
    public final int levels() {
        return indexBits.length;
    }

    @Override
    public final int virtualAddressBits() {
        return shift[levels() - 1] + indexBits[levels() - 1];
    }

    @Override
    public final int physicalAddressBits() {
        return physicalAddressBits;
    }

    @Override
    public final boolean inRange(long virtualAddress) {
        int unused = Long.SIZE - virtualAddressBits();
        return switch (upperBits) {
            case SIGN_EXTENDED -> (virtualAddress << unused) >> unused == virtualAddress;
            case ZERO -> virtualAddress >>> virtualAddressBits() == 0;
        };
    }

    /** The range {@link #inRange} accepts, in words, for error messages. */
    final String rangeDescription() {
        return switch (upperBits) {
            case SIGN_EXTENDED -> "the canonical " + virtualAddressBits() + "-bit virtual addresses (sign-extended from bit "
                    + (virtualAddressBits() - 1) + ")";
            case ZERO -> "the " + virtualAddressBits() + "-bit virtual addresses [0, 2^" + virtualAddressBits() + ")";
        };
    }

    @Override
    public final boolean supports(Permissions permissions) {
        return unsupportedReason(permissions).isEmpty();
    }

    @Override
    public final PageTable create(PhysicalMemory ram, FrameSource frames) {
        return new TreePageTable(this, ram, frames);
    }

    /** The number of index bits of the level-{@code level} table. */
    public final int indexBits(int level) {
        return indexBits[level];
    }

    /** The size in bytes of a level-{@code level} table. */
    public final int tableBytes(int level) {
        return Long.BYTES << indexBits[level];
    }

    /** How many bytes of virtual address space one entry of a level-{@code level} table covers. */
    public final long span(int level) {
        return 1L << shift[level];
    }

    /** {@link #span} in words: {@code 4 KiB}, {@code 2 MiB}, {@code 1 GiB}, {@code 512 GiB}, … */
    public final String spanName(int level) {
        int shift = Long.numberOfTrailingZeros(span(level));
        return (1L << shift % 10) + " " + new String[] {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"}[shift / 10];
    }

    /** The index of {@code virtualAddress} in a level-{@code level} table. */
    public final int index(long virtualAddress, int level) {
        return (int) ((virtualAddress >>> shift[level]) & ((1L << indexBits[level]) - 1));
    }

    /** A reserved-pattern error for an entry at {@code level}, named as this format names its levels. */
    protected final ReservedEntryException reserved(long virtualAddress, int level, long entry, String reason) {
        return new ReservedEntryException(virtualAddress, level, levelName(level), entry, reason);
    }

    /** An unsupported-entry error for an entry at {@code level}, named as this format names its levels. */
    protected final UnsupportedEntryException unsupported(long virtualAddress, int level, long entry, String reason) {
        return new UnsupportedEntryException(virtualAddress, level, levelName(level), entry, reason);
    }

    /** The specification's name for the level-{@code level} table, e.g. {@code PML4}, {@code PMD}. */
    protected abstract String levelName(int level);

    /** Why the entries cannot express {@code permissions}, or empty if they can. */
    protected abstract Optional<String> unsupportedReason(Permissions permissions);

    /** Whether an entry is valid (x86 P, RISC-V V, radix V); the hardware ignores the rest of one that is not. */
    protected abstract boolean present(long entry);

    /** A present directory entry at {@code level} (at least 1) pointing to the level-{@code level - 1} table at {@code table}. */
    protected abstract long directoryEntry(long table, int level);

    /**
     * The physical address of the next table, from a present entry at {@code level} (at least 1).
     *
     * @throws ReservedEntryException or {@link UnsupportedEntryException} as the class comment says
     */
    protected abstract long nextTable(long virtualAddress, int level, long entry);

    /**
     * What a present directory entry at {@code level} leaves of the permissions below it; by default all
     * of them. (x86-64 ANDs R/W and U/S and ORs XD over the levels; RISC-V ORs G.)
     */
    protected Permissions throughDirectory(Permissions below, long entry, int level) {
        return below;
    }

    /** A directory entry after the hardware used it in a walk; by default unchanged (x86-64 sets A). */
    protected long touchDirectory(long entry, int level) {
        return entry;
    }

    /** A present leaf entry mapping the page at {@code physical}, accessed and dirty clear. */
    protected abstract long leafEntry(long physical, Permissions permissions);

    /**
     * The page's translation from a present level-0 entry: its frame, its own permissions (before
     * {@link #throughDirectory}), its accessed and dirty bits.
     *
     * @throws ReservedEntryException or {@link UnsupportedEntryException} as the class comment says
     */
    protected abstract Translation decodeLeaf(long virtualAddress, long entry);

    /** The bits of a leaf entry that hold its permissions. */
    protected abstract long permissionMask();

    /** The permission bits of a leaf entry for {@code permissions}, within {@link #permissionMask()}. */
    protected abstract long permissionBits(Permissions permissions);

    /** The leaf's accessed bit (x86 A, RISC-V A, radix R). */
    protected abstract long accessedBit();

    /** The leaf's dirty bit (x86 D, RISC-V D, radix C). */
    protected abstract long dirtyBit();

    /** See {@link PageTable#rootDescriptor()}. */
    protected abstract long rootDescriptor(long root);

    @Override
    public String toString() {
        StringJoiner split = new StringJoiner("/");
        for (int level = levels() - 1; level >= 0; level--) {
            split.add(Integer.toString(indexBits[level]));
        }
        return name() + " (" + pageSize() + "-byte pages, index bits " + split + ")";
    }
}

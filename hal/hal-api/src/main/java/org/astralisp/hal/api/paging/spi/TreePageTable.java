package org.astralisp.hal.api.paging.spi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.AddressOutOfRangeException;
import org.astralisp.hal.api.paging.AlreadyMappedException;
import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.hal.api.paging.MisalignedAddressException;
import org.astralisp.hal.api.paging.NotMappedException;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.hal.api.paging.PageFaultException;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.UnsupportedPermissionsException;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * A tree of page tables in guest RAM, walked as the MMU walks it: from the root, one entry per level,
 * each read from RAM in the format's byte order and decoded by the format, which rejects what the
 * hardware would fault on. The Java side keeps no copy of any entry; it remembers only which frames it
 * holds ({@link TableAllocator}).
 *
 * <p>Invariants (see {@link PageTable}): every table but the root has a present entry — {@link #prune}
 * frees a table as soon as it is all zero, and {@link #map} never leaves a new table empty, even when
 * it runs out of frames half-way; every check that can refuse an operation runs before the first write
 * to RAM. Not thread-safe: the caller serialises.
 */
final class TreePageTable implements PageTable {

    /** What a walk met: {@code tables[l]} is the level-l table, {@code entries[l]} the entry it read there. */
    private record Walk(long[] tables, long[] entries, int absentLevel) {

        /** Whether the walk reached a present leaf (otherwise it stopped at an absent entry at {@code absentLevel}). */
        boolean mapped() {
            return absentLevel < 0;
        }

        long leaf() {
            return entries[0];
        }
    }

    private final TreePageTableFormat format;
    private final PhysicalMemory ram;
    private final MemorySegment memory;
    private final ValueLayout.OfLong entryLayout;
    private final TableAllocator tables;
    private final int top;
    private final long root;
    private boolean released;

    TreePageTable(TreePageTableFormat format, PhysicalMemory ram, FrameSource frames) {
        if (frames.frameSize() != format.pageSize()) {
            throw new IllegalArgumentException(format.name() + " needs frames of " + format.pageSize()
                    + " bytes, the frame source hands out " + frames.frameSize());
        }
        this.format = format;
        this.ram = ram;
        this.memory = ram.segment();
        this.entryLayout = ValueLayout.JAVA_LONG.withOrder(format.byteOrder());
        this.tables = new TableAllocator(frames, ram);
        this.top = format.levels() - 1;
        this.root = tables.allocate(format.tableBytes(top));
    }

    @Override
    public PageTableFormat format() {
        return format;
    }

    @Override
    public long root() {
        return root;
    }

    @Override
    public long rootDescriptor() {
        return format.rootDescriptor(root);
    }

    @Override
    public void map(long virtualAddress, long physical, Permissions permissions) {
        requirePage(virtualAddress);
        if ((physical & (format.pageSize() - 1)) != 0) {
            throw new MisalignedAddressException(virtualAddress, physical, "physical", format.pageSize());
        }
        if (physical >>> format.physicalAddressBits() != 0) {
            throw new AddressOutOfRangeException(virtualAddress, physical,
                    "the " + format.physicalAddressBits() + "-bit physical addresses " + format.name() + " entries hold");
        }
        requireSupported(virtualAddress, permissions);
        Walk walk = walk(virtualAddress);
        if (walk.mapped()) {
            throw new AlreadyMappedException(virtualAddress, translation(virtualAddress, walk));
        }
        long[] path = walk.tables();
        for (int level = walk.absentLevel(); level > 0; level--) {
            long table;
            try {
                table = tables.allocate(format.tableBytes(level - 1));
            } catch (OutOfFramesException e) {
                prune(virtualAddress, path, level);
                throw e;
            }
            write(slot(path[level], level, virtualAddress), format.directoryEntry(table, level));
            path[level - 1] = table;
        }
        write(slot(path[0], 0, virtualAddress), format.leafEntry(physical, permissions));
    }

    @Override
    public Translation unmap(long virtualAddress) {
        requirePage(virtualAddress);
        Walk walk = requireMapped(virtualAddress, "unmap");
        Translation removed = translation(virtualAddress, walk);
        write(slot(walk.tables()[0], 0, virtualAddress), 0);
        prune(virtualAddress, walk.tables(), 0);
        return removed;
    }

    @Override
    public void protect(long virtualAddress, Permissions permissions) {
        requirePage(virtualAddress);
        requireSupported(virtualAddress, permissions);
        Walk walk = requireMapped(virtualAddress, "protect");
        format.decodeLeaf(virtualAddress, walk.leaf());
        long entry = (walk.leaf() & ~format.permissionMask()) | format.permissionBits(permissions);
        write(slot(walk.tables()[0], 0, virtualAddress), entry);
    }

    @Override
    public Optional<Translation> translate(long virtualAddress) {
        requireInRange(virtualAddress);
        Walk walk = walk(virtualAddress);
        return walk.mapped() ? Optional.of(translation(virtualAddress, walk)) : Optional.empty();
    }

    @Override
    public Translation access(long virtualAddress, Access access, Privilege privilege) {
        requireInRange(virtualAddress);
        Walk walk = walk(virtualAddress);
        if (!walk.mapped()) {
            throw new PageFaultException(virtualAddress, access, privilege, Optional.empty());
        }
        Translation before = translation(virtualAddress, walk);
        if (!before.permissions().permits(access, privilege)) {
            throw new PageFaultException(virtualAddress, access, privilege, Optional.of(before));
        }
        for (int level = top; level > 0; level--) {
            long touched = format.touchDirectory(walk.entries()[level], level);
            if (touched != walk.entries()[level]) {
                write(slot(walk.tables()[level], level, virtualAddress), touched);
            }
        }
        long leaf = walk.leaf() | format.accessedBit() | (access == Access.WRITE ? format.dirtyBit() : 0);
        write(slot(walk.tables()[0], 0, virtualAddress), leaf);
        return new Translation(before.physical(), before.permissions(), true, before.dirty() || access == Access.WRITE);
    }

    @Override
    public boolean clearAccessed(long virtualAddress) {
        return clearLeafBit(virtualAddress, format.accessedBit(), "clear the accessed bit of");
    }

    @Override
    public boolean clearDirty(long virtualAddress) {
        return clearLeafBit(virtualAddress, format.dirtyBit(), "clear the dirty bit of");
    }

    @Override
    public void release() {
        requireOpen();
        released = true;
        tables.releaseAll();
    }

    @Override
    public String toString() {
        return format.name() + " page table at " + String.format("%#x", root) + (released ? " (released)" : "");
    }

    private boolean clearLeafBit(long virtualAddress, long bit, String operation) {
        requirePage(virtualAddress);
        Walk walk = requireMapped(virtualAddress, operation);
        format.decodeLeaf(virtualAddress, walk.leaf());
        write(slot(walk.tables()[0], 0, virtualAddress), walk.leaf() & ~bit);
        return (walk.leaf() & bit) != 0;
    }

    /** Reads the entries for {@code virtualAddress} from the root down to the leaf or the first absent entry. */
    private Walk walk(long virtualAddress) {
        long[] path = new long[top + 1];
        long[] entries = new long[top + 1];
        long table = root;
        for (int level = top; ; level--) {
            path[level] = table;
            long entry = read(slot(table, level, virtualAddress));
            entries[level] = entry;
            if (!format.present(entry)) {
                return new Walk(path, entries, level);
            }
            if (level == 0) {
                return new Walk(path, entries, -1);
            }
            table = nextTable(virtualAddress, level, entry);
        }
    }

    private long nextTable(long virtualAddress, int level, long entry) {
        long table = format.nextTable(virtualAddress, level, entry);
        long offset = table - ram.base();
        if (offset < 0 || offset > ram.size() - format.tableBytes(level - 1)) {
            throw format.unsupported(virtualAddress, level, entry, "the " + format.levelName(level - 1) + " table it points to at "
                    + String.format("%#x", table) + " is not in RAM");
        }
        return table;
    }

    /** The effective translation of a walk that reached a present leaf, for the byte at {@code virtualAddress}. */
    private Translation translation(long virtualAddress, Walk walk) {
        Translation leaf = format.decodeLeaf(virtualAddress, walk.leaf());
        Permissions permissions = leaf.permissions();
        for (int level = 1; level <= top; level++) {
            permissions = format.throughDirectory(permissions, walk.entries()[level], level);
        }
        return new Translation(leaf.physical(), permissions, leaf.accessed(), leaf.dirty())
                .plus(virtualAddress & (format.pageSize() - 1));
    }

    /**
     * Frees the tables on the path of {@code virtualAddress} that are empty, from {@code level} up to
     * (not including) the root, clearing the entry that pointed to each; stops at the first table that
     * is not empty.
     */
    private void prune(long virtualAddress, long[] path, int level) {
        for (int l = level; l < top && isEmpty(path[l], l); l++) {
            write(slot(path[l + 1], l + 1, virtualAddress), 0);
            tables.free(path[l]);
        }
    }

    private boolean isEmpty(long table, int level) {
        long offset = table - ram.base();
        for (long i = 0; i < format.tableBytes(level); i += Long.BYTES) {
            if (memory.get(ValueLayout.JAVA_LONG, offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private Walk requireMapped(long virtualAddress, String operation) {
        Walk walk = walk(virtualAddress);
        if (!walk.mapped()) {
            throw new NotMappedException(virtualAddress, operation);
        }
        return walk;
    }

    private void requireSupported(long virtualAddress, Permissions permissions) {
        Optional<String> reason = format.unsupportedReason(permissions);
        if (reason.isPresent()) {
            throw new UnsupportedPermissionsException(virtualAddress, permissions, format.name(), reason.get());
        }
    }

    private void requirePage(long virtualAddress) {
        requireInRange(virtualAddress);
        if ((virtualAddress & (format.pageSize() - 1)) != 0) {
            throw new MisalignedAddressException(virtualAddress, virtualAddress, "virtual", format.pageSize());
        }
    }

    private void requireInRange(long virtualAddress) {
        requireOpen();
        if (!format.inRange(virtualAddress)) {
            throw new AddressOutOfRangeException(virtualAddress, virtualAddress, format.rangeDescription());
        }
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException(this + " cannot be used");
        }
    }

    private long slot(long table, int level, long virtualAddress) {
        return table + (long) format.index(virtualAddress, level) * Long.BYTES;
    }

    private long read(long physical) {
        return memory.get(entryLayout, physical - ram.base());
    }

    private void write(long physical, long entry) {
        memory.set(entryLayout, physical - ram.base(), entry);
    }
}

package org.astralisp.hal.api.paging;

/**
 * A walk met an entry it cannot follow. Names the virtual address being translated, the level of the
 * entry (the root table is level {@code levels - 1}, the last table level 0) and the raw 64-bit value.
 */
public abstract class EntryException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final int level;
    private final long entry;

    protected EntryException(long virtualAddress, int level, String levelName, long entry, String kind, String reason) {
        super(virtualAddress, kind + " in the " + levelName + " entry (level " + level + ") for virtual address "
                + hex(virtualAddress) + ": entry " + hex(entry) + ": " + reason);
        this.level = level;
        this.entry = entry;
    }

    public int level() {
        return level;
    }

    /** The raw entry as the hardware reads it (already converted from the table's byte order). */
    public long entry() {
        return entry;
    }
}

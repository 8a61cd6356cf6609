package org.astralisp.hal.api.paging;

/**
 * A well-formed entry this table does not follow: a leaf above the last level (a 2 MiB or 1 GiB page —
 * the tables map base pages only), a radix directory for a tree of another geometry, or a directory
 * whose next table is not in RAM (where the hardware would take a machine check).
 */
public class UnsupportedEntryException extends EntryException {

    private static final long serialVersionUID = 1L;

    public UnsupportedEntryException(long virtualAddress, int level, String levelName, long entry, String reason) {
        super(virtualAddress, level, levelName, entry, "unsupported entry", reason);
    }
}

package org.astralisp.kernel.api.vm;

import org.astralisp.hal.api.paging.Permissions;

/**
 * Permissions the architecture's page-table entries cannot express (x86-64: a page that is not
 * readable; RISC-V and PowerISA: write without read; PowerISA: global). No access at all ({@code ---}
 * with any user bit) is always accepted: such a region's pages are simply not in the page table.
 */
public final class UnsupportedRegionPermissionsException extends InvalidMappingException {

    private static final long serialVersionUID = 1L;

    private final Permissions permissions;

    public UnsupportedRegionPermissionsException(String operation, long start, long length, Permissions permissions,
            String format) {
        super(operation, start, length, format + " page-table entries cannot express " + permissions
                + " (read-only, read-write, execute and no access can be)");
        this.permissions = permissions;
    }

    public Permissions permissions() {
        return permissions;
    }
}

package org.astralisp.hal.api.paging;

/**
 * Permissions the format's entries cannot express, such as write without read on RISC-V (the encoding
 * W=1 R=0 is reserved) or a global page in a PowerISA radix tree (its entries have no global bit).
 */
public class UnsupportedPermissionsException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final Permissions permissions;

    public UnsupportedPermissionsException(long virtualAddress, Permissions permissions, String format, String reason) {
        super(virtualAddress, format + " cannot map " + hex(virtualAddress) + " " + permissions + ": " + reason);
        this.permissions = permissions;
    }

    public Permissions permissions() {
        return permissions;
    }
}

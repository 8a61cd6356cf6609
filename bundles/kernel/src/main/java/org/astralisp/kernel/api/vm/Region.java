package org.astralisp.kernel.api.vm;

import org.astralisp.hal.api.paging.Permissions;

/**
 * One region of an address space (a VMA): a page-aligned range, what it allows, and what backs it.
 * A request covering part of a region splits it, so regions are what {@link AddressSpace#map},
 * {@link AddressSpace#unmap} and {@link AddressSpace#protect} left behind; adjacent regions are not merged.
 */
public record Region(VirtualRange range, Permissions permissions, Backing backing) {

    @Override
    public String toString() {
        return range + " " + permissions + " " + backing;
    }
}

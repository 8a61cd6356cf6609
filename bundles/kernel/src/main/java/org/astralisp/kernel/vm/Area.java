package org.astralisp.kernel.vm;

import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.Region;
import org.astralisp.kernel.api.vm.VirtualRange;

/**
 * A region as the address space keeps it: pages {@code [first, end)}, permissions and backing.
 * Immutable; splitting or protecting replaces it.
 */
record Area(long first, long end, Permissions permissions, Backing backing) {

    boolean shared() {
        return backing instanceof Backing.Shared;
    }

    /** Whether any access is allowed: a region with none is never in the page table. */
    boolean accessible() {
        return permissions.read() || permissions.write() || permissions.execute();
    }

    /** The shared object's page index of {@code page}. */
    int sharedIndex(long page, int shift) {
        Backing.Shared shared = (Backing.Shared) backing;
        return Math.toIntExact((shared.offset() >>> shift) + (page - first));
    }

    AnonymousSharedMemory sharedMemory() {
        return (AnonymousSharedMemory) ((Backing.Shared) backing).memory();
    }

    /** The part from {@code page} on (the backing's offset moved on). */
    Area from(long page, int shift) {
        return new Area(page, end, permissions, backing.advancedBy((page - first) << shift));
    }

    Area upTo(long page) {
        return new Area(first, page, permissions, backing);
    }

    Area withPermissions(Permissions changed) {
        return new Area(first, end, changed, backing);
    }

    Region region(int shift) {
        return new Region(VirtualRange.between(first << shift, end << shift), permissions, backing);
    }
}

package org.astralisp.hal.api.devicetree;

import java.util.Arrays;

/**
 * One step through an interrupt nexus (devicetree specification v0.4
 * §2.4.3): the {@code interrupt-map} entry whose child unit address and child
 * interrupt specifier equal the ones being routed, both sides ANDed with
 * {@code interrupt-map-mask} (all ones when absent).
 *
 * <p>Each entry (§2.4.3.1) is: child unit address ({@code #address-cells} of
 * the nexus), child interrupt specifier ({@code #interrupt-cells} of the
 * nexus), the interrupt parent's phandle, parent unit address
 * ({@code #address-cells} of that parent, 0 when it has none, as Linux reads
 * it), parent interrupt specifier ({@code #interrupt-cells} of that parent).
 * Entries are variable-sized, so the map is scanned in order; every entry
 * consumes at least the phandle cell, so the scan ends.
 */
final class InterruptMap {

    private InterruptMap() {
    }

    /** Where an interrupt leaves the nexus: the next node, its unit address and specifier there. */
    record Route(DeviceNode parent, int[] unitAddress, int[] specifier) {
    }

    static Route lookup(DeviceNode nexus, int[] unitAddress, int[] specifier) throws DevicePropertyException {
        DeviceProperty map = nexus.property("interrupt-map");
        int addressCells = nexus.addressCells();
        int interruptCells = nexus.interruptCells();
        int[] key = concat(Arrays.copyOf(unitAddress, addressCells), specifier);
        int[] mask = mask(nexus, key.length);
        CellCursor cursor = new CellCursor(map);
        while (cursor.hasMore()) {
            int[] child = concat(cursor.take(addressCells, "a child unit address"),
                    cursor.take(interruptCells, "a child interrupt specifier"));
            int phandle = cursor.take(1, "an interrupt-parent phandle")[0];
            DeviceNode parent = InterruptRouting.phandleTarget(nexus.tree(), map, phandle);
            int parentAddressCells = parent.hasProperty("#address-cells") ? parent.addressCells() : 0;
            int[] parentAddress = cursor.take(parentAddressCells, "a parent unit address");
            int[] parentSpecifier = cursor.take(parent.interruptCells(), "a parent interrupt specifier");
            if (matches(key, child, mask)) {
                return new Route(parent, parentAddress, parentSpecifier);
            }
        }
        throw map.malformed("no entry for unit address " + BusAddress.cellsText(unitAddress)
                + " and interrupt specifier " + BusAddress.cellsText(specifier));
    }

    private static int[] mask(DeviceNode nexus, int cells) throws DevicePropertyException {
        if (!nexus.hasProperty("interrupt-map-mask")) {
            int[] all = new int[cells];
            Arrays.fill(all, -1);
            return all;
        }
        DeviceProperty property = nexus.property("interrupt-map-mask");
        int[] mask = property.cells();
        if (mask.length != cells) {
            throw property.malformed(mask.length + " cells, expected " + cells
                    + " (#address-cells + #interrupt-cells of the nexus)");
        }
        return mask;
    }

    private static boolean matches(int[] key, int[] entry, int[] mask) {
        for (int i = 0; i < key.length; i++) {
            if (((key[i] ^ entry[i]) & mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int[] concat(int[] first, int[] second) {
        int[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}

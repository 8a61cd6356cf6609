package org.astralisp.hal.api.devicetree;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding of {@code reg} (devicetree specification v0.4 §2.3.6) and
 * {@code ranges} (§2.3.8), and the translation of a bus address to a CPU
 * physical address.
 *
 * <p>A node's {@code reg} is in its parent's address space, whose cell sizes
 * the parent's {@code #address-cells}/{@code #size-cells} give (§2.3.5). To
 * reach the CPU's space an address climbs bus by bus: at each bus node a
 * {@code ranges} entry containing it maps it into the parent's space (an
 * empty {@code ranges} maps identically; a missing one means the bus is not
 * memory-mapped and translation fails), until the root, whose children's
 * addresses are CPU physical. The climb is bounded by the tree's depth.
 */
final class AddressTranslation {

    private static final BigInteger ADDRESS_LIMIT = BigInteger.ONE.shiftLeft(64);

    private AddressTranslation() {
    }

    static List<RegEntry> reg(DeviceNode node) throws DevicePropertyException {
        DeviceProperty reg = node.property("reg");
        DeviceNode bus = node.parent().orElseThrow(
                () -> reg.malformed("the root node has no parent bus to decode reg against"));
        int addressCells = bus.addressCells();
        int sizeCells = bus.sizeCells();
        requireWholeEntries(reg, addressCells + sizeCells,
                "#address-cells " + addressCells + " + #size-cells " + sizeCells + " of " + bus.path());
        List<RegEntry> entries = new ArrayList<>();
        CellCursor cursor = new CellCursor(reg);
        while (cursor.hasMore()) {
            BusAddress address = BusAddress.of(cursor.take(addressCells, "an address"));
            entries.add(new RegEntry(address, cursor.takeSize(sizeCells, "a size")));
        }
        return List.copyOf(entries);
    }

    static List<AddressRange> physicalReg(DeviceNode node) throws DevicePropertyException {
        List<AddressRange> ranges = new ArrayList<>();
        for (RegEntry entry : reg(node)) {
            long address = toPhysical(node.parent().orElseThrow(), entry.address());
            BigInteger end = unsigned(address).add(unsigned(entry.size()));
            if (end.compareTo(ADDRESS_LIMIT) > 0) {
                throw new DevicePropertyException(node.path(), "reg", String.format(
                        "0x%x+0x%x ends beyond the 64-bit physical address space", address, entry.size()));
            }
            ranges.add(new AddressRange(address, entry.size()));
        }
        return List.copyOf(ranges);
    }

    static List<RangesEntry> ranges(DeviceNode bus) throws DevicePropertyException {
        DeviceProperty ranges = bus.property("ranges");
        DeviceNode parent = bus.parent().orElseThrow(
                () -> ranges.malformed("the root node has no parent address space to map into"));
        int childCells = bus.addressCells();
        int parentCells = parent.addressCells();
        int sizeCells = bus.sizeCells();
        requireWholeEntries(ranges, childCells + parentCells + sizeCells, "#address-cells " + childCells
                + " + #address-cells " + parentCells + " of " + parent.path() + " + #size-cells " + sizeCells);
        List<RangesEntry> entries = new ArrayList<>();
        CellCursor cursor = new CellCursor(ranges);
        while (cursor.hasMore()) {
            BusAddress child = BusAddress.of(cursor.take(childCells, "a child bus address"));
            BusAddress parentAddress = BusAddress.of(cursor.take(parentCells, "a parent bus address"));
            entries.add(new RangesEntry(child, parentAddress, cursor.takeSize(sizeCells, "a length")));
        }
        return List.copyOf(entries);
    }

    static long toPhysical(DeviceNode bus, BusAddress address) throws DevicePropertyException {
        BigInteger value = address.value();
        DeviceNode node = bus;
        while (node.parent().isPresent()) {
            if (!node.hasProperty("ranges")) {
                throw new DevicePropertyException(node.path(), "ranges", "missing, so address " + address
                        + " on " + bus.path() + " has no CPU physical address (§2.3.8)");
            }
            List<RangesEntry> entries = ranges(node);
            if (!entries.isEmpty()) {
                value = throughRanges(node, entries, value);
            }
            node = node.parent().get();
        }
        if (value.compareTo(ADDRESS_LIMIT) >= 0) {
            throw new DevicePropertyException(bus.path(), "ranges",
                    "address " + address + " translates to 0x" + value.toString(16) + ", beyond 64 bits");
        }
        return value.longValue();
    }

    private static BigInteger throughRanges(DeviceNode bus, List<RangesEntry> entries, BigInteger value)
            throws DevicePropertyException {
        for (RangesEntry entry : entries) {
            BigInteger offset = value.subtract(entry.childAddress().value());
            if (offset.signum() >= 0 && offset.compareTo(unsigned(entry.size())) < 0) {
                return entry.parentAddress().value().add(offset);
            }
        }
        throw new DevicePropertyException(bus.path(), "ranges",
                "address 0x" + value.toString(16) + " lies outside every range");
    }

    private static void requireWholeEntries(DeviceProperty property, int entryCells, String layout)
            throws DevicePropertyException {
        int entryBytes = 4 * entryCells;
        if (entryBytes == 0 ? !property.isEmpty() : property.length() % entryBytes != 0) {
            throw property.malformed("value is " + property.length() + " bytes, not a whole number of "
                    + entryBytes + "-byte entries (" + layout + ")");
        }
    }

    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }
}

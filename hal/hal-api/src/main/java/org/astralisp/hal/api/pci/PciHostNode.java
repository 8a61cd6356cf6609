package org.astralisp.hal.api.pci;

import java.util.List;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.BusAddress;
import org.astralisp.hal.api.devicetree.DeviceNode;
import org.astralisp.hal.api.devicetree.DevicePropertyException;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.InterruptSpecifier;
import org.astralisp.hal.api.devicetree.RangesEntry;

/**
 * What the enumerator needs from a {@code pci-host-ecam-generic} node (Linux
 * binding pci/host-generic-pci.yaml, IEEE 1275 PCI binding): the CPU address
 * of the ECAM ({@code reg}, whose first byte is the first bus of
 * {@code bus-range}), the buses, and the 32-bit memory window of
 * {@code ranges} — the entry whose {@code phys.hi} space code (bits 25:24) is
 * 0b10 — as a bus address, its CPU address and its size.
 *
 * <p>Invariants: {@code firstBus <= lastBus}, the ECAM covers every bus of the
 * range (1 MiB each), and the window lies below 4 GiB on the bus.
 */
record PciHostNode(DeviceNode node, long ecamBase, int firstBus, int lastBus, long windowBus, long windowCpu,
        long windowSize) {

    static final String COMPATIBLE = "pci-host-ecam-generic";
    private static final long MIB = 1 << 20;
    private static final int SPACE_MEMORY_32 = 0b10;

    /** The first {@value #COMPATIBLE} node of {@code tree}, parsed, or empty if the machine has none. */
    static Optional<PciHostNode> find(DeviceTree tree) throws PciNodeException {
        List<DeviceNode> nodes = tree.findCompatible(COMPATIBLE);
        return nodes.isEmpty() ? Optional.empty() : Optional.of(of(nodes.getFirst()));
    }

    static PciHostNode of(DeviceNode node) throws PciNodeException {
        String path = node.path();
        AddressRange ecam = ecam(node);
        int first = 0;
        int last = 255;
        if (node.hasProperty("bus-range")) {
            int[] range = cells(node, "bus-range");
            if (range.length != 2 || range[0] < 0 || range[1] > 255 || range[0] > range[1]) {
                throw new PciNodeException(path, "bus-range", "expected <first last> with 0 <= first <= last <= 255");
            }
            first = range[0];
            last = range[1];
        }
        long buses = last - first + 1L;
        if (Long.compareUnsigned(ecam.size(), buses * MIB) < 0) {
            throw new PciNodeException(path, "reg", "0x" + Long.toHexString(ecam.size()) + " bytes of ECAM cannot hold "
                    + "buses " + first + ".." + last + " (1 MiB each)");
        }
        RangesEntry window = memoryWindow(node);
        long busBase = low64(window.childAddress());
        if (busBase < 0 || window.size() <= 0 || busBase + window.size() > 1L << 32 || busBase + window.size() < 0) {
            throw new PciNodeException(path, "ranges", "the 32-bit memory window at bus address 0x"
                    + Long.toHexString(busBase) + " of 0x" + Long.toHexString(window.size())
                    + " bytes does not lie below 4 GiB");
        }
        long cpuBase;
        try {
            cpuBase = node.translateToPhysical(window.childAddress());
        } catch (DevicePropertyException e) {
            throw new PciNodeException(path, "ranges", e.getMessage(), e);
        }
        return new PciHostNode(node, ecam.address(), first, last, busBase, cpuBase, window.size());
    }

    private static AddressRange ecam(DeviceNode node) throws PciNodeException {
        try {
            List<AddressRange> reg = node.physicalReg();
            if (reg.isEmpty()) {
                throw new PciNodeException(node.path(), "reg", "empty: no ECAM window");
            }
            return reg.getFirst();
        } catch (DevicePropertyException e) {
            throw new PciNodeException(node.path(), "reg", e.getMessage(), e);
        }
    }

    private static int[] cells(DeviceNode node, String property) throws PciNodeException {
        try {
            return node.property(property).cells();
        } catch (DevicePropertyException e) {
            throw new PciNodeException(node.path(), property, e.getMessage(), e);
        }
    }

    private static RangesEntry memoryWindow(DeviceNode node) throws PciNodeException {
        if (!node.hasProperty("ranges")) {
            throw new PciNodeException(node.path(), "ranges", "missing: the host bridge maps no memory window");
        }
        List<RangesEntry> entries;
        try {
            if (node.addressCells() != 3) {
                throw new PciNodeException(node.path(), "#address-cells", node.addressCells()
                        + " cells, but PCI addresses are 3 (phys.hi phys.mid phys.lo)");
            }
            entries = node.ranges();
        } catch (DevicePropertyException e) {
            throw new PciNodeException(node.path(), "ranges", e.getMessage(), e);
        }
        return entries.stream()
                .filter(entry -> (entry.childAddress().cell(0) >>> 24 & 0b11) == SPACE_MEMORY_32)
                .findFirst()
                .orElseThrow(() -> new PciNodeException(node.path(), "ranges",
                        "no 32-bit memory space entry (phys.hi space code 0b10) among " + entries.size()));
    }

    /** phys.mid:phys.lo of a three-cell PCI address. */
    private static long low64(BusAddress address) {
        return (long) address.cell(1) << 32 | address.cell(2) & 0xFFFF_FFFFL;
    }

    /** The number of buses scanned. */
    int buses() {
        return lastBus - firstBus + 1;
    }

    /** The CPU address of bus address {@code bus} inside the window. */
    long toCpu(long bus) {
        return windowCpu + (bus - windowBus);
    }

    /**
     * Routes INTx {@code pin} (1 = INTA#) of the function at {@code address}
     * through {@code interrupt-map} and {@code interrupt-map-mask} (devicetree
     * spec v0.4 §2.4.3; the unit address is {@code <phys.hi 0 0>}).
     */
    InterruptSpecifier route(PciAddress address, int pin) throws PciNodeException {
        try {
            if (!node.hasProperty("interrupt-map")) {
                throw new PciNodeException(node.path(), "interrupt-map", "missing, so INT" + (char) ('A' + pin - 1)
                        + "# of " + address + " reaches no interrupt controller");
            }
            if (node.interruptCells() != 1) {
                throw new PciNodeException(node.path(), "#interrupt-cells", node.interruptCells()
                        + " cells, but a PCI interrupt specifier is one cell, the pin");
            }
            return node.mapInterrupt(BusAddress.of(address.physHi(), 0, 0), List.of(pin));
        } catch (DevicePropertyException e) {
            throw new PciNodeException(node.path(), "interrupt-map", "routing INT" + (char) ('A' + pin - 1) + "# of "
                    + address + ": " + e.getMessage(), e);
        }
    }
}

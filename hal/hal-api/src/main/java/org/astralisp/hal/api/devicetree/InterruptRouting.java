package org.astralisp.hal.api.devicetree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The interrupt tree (devicetree specification v0.4 §2.4): finding a device's
 * interrupt parent, decoding {@code interrupts} and
 * {@code interrupts-extended}, and routing each specifier through interrupt
 * nexuses to the controller that receives it.
 *
 * <p>Both walks follow links a blob may make circular — {@code interrupt-parent}
 * phandles and {@code interrupt-map} entries — so each remembers the nodes it
 * has passed and reports a loop instead of running forever.
 */
final class InterruptRouting {

    private InterruptRouting() {
    }

    /**
     * §2.4.1: follow {@code interrupt-parent}, or the devicetree parent when a
     * node has none, until a node with {@code #interrupt-cells}.
     */
    static DeviceNode interruptParent(DeviceNode node) throws DevicePropertyException {
        Set<DeviceNode> passed = new HashSet<>();
        DeviceNode current = node;
        while (true) {
            Optional<DeviceProperty> link = current.findProperty("interrupt-parent");
            DeviceNode next = link.isPresent()
                    ? phandleTarget(node.tree(), link.get(), link.get().u32())
                    : current.parent().orElseThrow(() -> new DevicePropertyException(node.path(), "interrupt-parent",
                            "missing here and on every ancestor, none of which has #interrupt-cells"));
            if (next.hasProperty("#interrupt-cells")) {
                return next;
            }
            if (!passed.add(next)) {
                throw new DevicePropertyException(node.path(), "interrupt-parent",
                        "the chain of interrupt parents loops at " + next.path());
            }
            current = next;
        }
    }

    /** §2.4.1: {@code interrupts-extended} if present, else {@code interrupts}, each routed to its controller. */
    static List<InterruptSpecifier> interrupts(DeviceNode node) throws DevicePropertyException {
        Optional<DeviceProperty> extended = node.findProperty("interrupts-extended");
        if (extended.isPresent()) {
            return extended(node, extended.get());
        }
        DeviceProperty interrupts = node.property("interrupts");
        DeviceNode parent = interruptParent(node);
        int cells = parent.interruptCells();
        if (cells == 0 ? !interrupts.isEmpty() : interrupts.length() % (4 * cells) != 0) {
            throw interrupts.malformed("value is " + interrupts.length() + " bytes, not a whole number of "
                    + cells + "-cell specifiers (#interrupt-cells of " + parent.path() + ")");
        }
        List<InterruptSpecifier> routed = new ArrayList<>();
        CellCursor cursor = new CellCursor(interrupts);
        while (cursor.hasMore()) {
            routed.add(route(node, "interrupts", parent, null, cursor.take(cells, "an interrupt specifier")));
        }
        return List.copyOf(routed);
    }

    static InterruptSpecifier mapInterrupt(DeviceNode nexus, BusAddress unitAddress, List<Integer> specifier)
            throws DevicePropertyException {
        if (unitAddress.cellCount() != nexus.addressCells() || specifier.size() != nexus.interruptCells()) {
            throw new IllegalArgumentException("a unit address of " + nexus.addressCells()
                    + " cells and a specifier of " + nexus.interruptCells() + " cells route through " + nexus);
        }
        int[] address = new int[unitAddress.cellCount()];
        Arrays.setAll(address, unitAddress::cell);
        int[] cells = specifier.stream().mapToInt(Integer::intValue).toArray();
        return route(nexus, "interrupt-map", nexus, address, cells);
    }

    /** The node that the phandle {@code value} of {@code property} names. */
    static DeviceNode phandleTarget(DeviceTree tree, DeviceProperty property, int value)
            throws DevicePropertyException {
        return tree.nodeByPhandle(value).orElseThrow(
                () -> property.malformed(String.format("phandle 0x%x names no node", value)));
    }

    /** Each entry: a phandle, then {@code #interrupt-cells} of the node it names. */
    private static List<InterruptSpecifier> extended(DeviceNode node, DeviceProperty property)
            throws DevicePropertyException {
        List<InterruptSpecifier> routed = new ArrayList<>();
        CellCursor cursor = new CellCursor(property);
        while (cursor.hasMore()) {
            DeviceNode parent = phandleTarget(node.tree(), property, cursor.take(1, "a phandle")[0]);
            int[] specifier = cursor.take(parent.interruptCells(), "an interrupt specifier for " + parent.path());
            routed.add(route(node, "interrupts-extended", parent, null, specifier));
        }
        return List.copyOf(routed);
    }

    /**
     * §2.4.3: from {@code parent} on, through every nexus, to a node with
     * {@code interrupt-controller}. {@code unitAddress} null means the device's
     * own, taken from its {@code reg} when a nexus first needs it; failures
     * are reported against {@code property} of {@code device}.
     */
    private static InterruptSpecifier route(DeviceNode device, String property, DeviceNode parent,
                                            int[] unitAddress, int[] specifier) throws DevicePropertyException {
        Set<DeviceNode> passed = new HashSet<>();
        DeviceNode current = parent;
        int[] address = unitAddress;
        int[] cells = specifier;
        while (!current.hasProperty("interrupt-controller")) {
            if (!current.hasProperty("interrupt-map")) {
                throw new DevicePropertyException(device.path(), property, current.path()
                        + " is neither an interrupt controller nor a nexus (it has no interrupt-map)");
            }
            if (!passed.add(current)) {
                throw new DevicePropertyException(device.path(), property,
                        "interrupt-map routing loops at " + current.path());
            }
            InterruptMap.Route route = InterruptMap.lookup(current, address == null
                    ? deviceUnitAddress(device, current) : address, cells);
            current = route.parent();
            address = route.unitAddress();
            cells = route.specifier();
        }
        return new InterruptSpecifier(current, Arrays.stream(cells).boxed().toList());
    }

    /**
     * §2.4.3.1: the child unit address is the device's {@code reg} address as
     * the nexus's {@code #address-cells} measure it; a device without
     * {@code reg} has address 0.
     */
    private static int[] deviceUnitAddress(DeviceNode device, DeviceNode nexus) throws DevicePropertyException {
        Optional<DeviceProperty> reg = device.findProperty("reg");
        int[] cells = reg.isPresent() ? reg.get().cells() : new int[0];
        return Arrays.copyOf(cells, nexus.addressCells());
    }
}

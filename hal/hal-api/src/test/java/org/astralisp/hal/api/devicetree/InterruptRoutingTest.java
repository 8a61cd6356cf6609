package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Worked examples of the interrupt tree (devicetree specification v0.4 §2.4)
 * from {@code interrupt-routing.dts}: inheritance of {@code interrupt-parent},
 * {@code interrupts-extended}, nexus routing through {@code interrupt-map}, and
 * the ways a blob can get them wrong.
 */
class InterruptRoutingTest {

    private static DeviceTree tree;
    private static DeviceNode intc;
    private static DeviceNode cascade;

    @BeforeAll
    static void parse() throws Exception {
        tree = ReferenceBlobs.tree("interrupt-routing");
        intc = node("/interrupt-controller@1000");
        cascade = node("/interrupt-controller@2000");
    }

    private static DeviceNode node(String path) {
        return tree.node(path).orElseThrow(() -> new AssertionError("no node " + path));
    }

    private static InterruptSpecifier on(DeviceNode controller, Integer... cells) {
        return new InterruptSpecifier(controller, List.of(cells));
    }

    private static void assertMalformed(String message, Executable access) {
        DevicePropertyException e = assertThrows(DevicePropertyException.class, access);
        assertEquals(message, e.getMessage());
    }

    private static DeviceTree written(FdtWriter writer) throws DeviceTreeFormatException {
        return FlattenedDeviceTree.parse(writer.end().build());
    }

    @Test
    void aDeviceInheritsTheRootsInterruptParent() throws Exception {
        DeviceNode device = node("/inherits@3000");
        assertSame(intc, device.interruptParent());
        assertEquals(List.of(on(intc, 7, 1), on(intc, 8, 2)), device.interrupts());
    }

    @Test
    void aCascadedControllerHasAnInterruptParentOfItsOwn() throws Exception {
        assertEquals(List.of(on(intc, 5, 4)), cascade.interrupts());
    }

    @Test
    void aBusPassesItsInterruptParentToItsChildren() throws Exception {
        assertSame(cascade, node("/bus/child@4000").interruptParent());
        assertEquals(List.of(on(cascade, 3)), node("/bus/child@4000").interrupts());
    }

    @Test
    void aNodesOwnInterruptParentWinsOverItsAncestors() throws Exception {
        assertEquals(List.of(on(intc, 9, 0)), node("/bus/own-parent@5000").interrupts());
    }

    @Test
    void interruptsExtendedNamesAControllerPerInterrupt() throws Exception {
        assertEquals(List.of(on(intc, 1, 0), on(cascade, 4)), node("/extended@6000").interrupts());
    }

    @Test
    void aChildOfANexusIsRoutedByItsUnitAddressAndPin() throws Exception {
        DeviceNode device = node("/pci@10000000/device@1,0");
        assertSame(node("/pci@10000000"), device.interruptParent());
        assertEquals(List.of(on(cascade, 6)), device.interrupts());
    }

    @Test
    void theMaskSelectsTheBitsOfTheUnitAddressThatRoute() throws Exception {
        DeviceNode nexus = node("/pci@10000000");
        assertEquals(on(intc, 32, 1), nexus.mapInterrupt(BusAddress.of(0x0000, 0, 0), List.of(1)));
        assertEquals(on(intc, 33, 1), nexus.mapInterrupt(BusAddress.of(0x0800 | 0x100, 0, 0x1234), List.of(1)));
    }

    @Test
    void aNexusMayRouteThroughAnotherNexus() throws Exception {
        assertEquals(on(intc, 40, 1), node("/pci@10000000").mapInterrupt(BusAddress.of(0x1000, 0, 0), List.of(1)));
    }

    @Test
    void mappingAtAControllerIsTheIdentity() throws Exception {
        assertEquals(on(intc, 12, 1), intc.mapInterrupt(BusAddress.of(), List.of(12, 1)));
    }

    @Test
    void mapInterruptNeedsTheNexussCellCounts() {
        DeviceNode nexus = node("/pci@10000000");
        assertThrows(IllegalArgumentException.class, () -> nexus.mapInterrupt(BusAddress.of(0, 0), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> nexus.mapInterrupt(BusAddress.of(0, 0, 0), List.of()));
    }

    @Test
    void anUnmappedUnitAddressIsReported() {
        assertMalformed("/pci@10000000: interrupt-map: no entry for unit address <0x1800 0x0 0x0> and interrupt "
                + "specifier <0x1>", () -> node("/pci@10000000/unmapped@3,0").interrupts());
    }

    @Test
    void aParentThatIsNeitherControllerNorNexusIsReported() {
        assertMalformed("/to-plain@8000: interrupts: /plain@7000 is neither an interrupt controller nor a nexus "
                + "(it has no interrupt-map)", () -> node("/to-plain@8000").interrupts());
    }

    @Test
    void aDanglingInterruptParentIsReported() {
        assertMalformed("/dangling@9000: interrupt-parent: phandle 0x4242 names no node",
                () -> node("/dangling@9000").interruptParent());
    }

    @Test
    void aCircleOfInterruptParentsIsReported() {
        assertMalformed("/looping@a000: interrupt-parent: the chain of interrupt parents loops at /loop-a",
                () -> node("/looping@a000").interrupts());
    }

    @Test
    void interruptsMustBeWholeSpecifiers() {
        assertMalformed("/ragged@b000: interrupts: value is 12 bytes, not a whole number of 2-cell specifiers "
                + "(#interrupt-cells of /interrupt-controller@1000)", () -> node("/ragged@b000").interrupts());
    }

    @Test
    void aNodeWithoutInterruptsSaysSo() {
        assertMalformed("/bus: interrupts: missing", () -> node("/bus").interrupts());
    }

    @Test
    void aDeviceWithNoInterruptParentAnywhereIsReported() throws Exception {
        DeviceNode device = written(new FdtWriter().beginNode("").beginNode("dev").cells("interrupts", 1)
                .endNode().endNode()).node("/dev").orElseThrow();
        assertMalformed("/dev: interrupt-parent: missing here and on every ancestor, none of which has "
                + "#interrupt-cells", device::interrupts);
    }

    @Test
    void interruptsExtendedMustEndOnAnEntryBoundary() throws Exception {
        DeviceNode device = written(new FdtWriter().beginNode("").beginNode("intc").cells("phandle", 1)
                .cells("#interrupt-cells", 2).property("interrupt-controller", new byte[0]).endNode()
                .beginNode("dev").cells("interrupts-extended", 1, 5, 0, 1, 6).endNode().endNode())
                .node("/dev").orElseThrow();
        assertMalformed("/dev: interrupts-extended: value ends in the middle of an interrupt specifier for /intc "
                + "(cell 4 of 5, 2 more needed)", device::interrupts);
    }

    @Test
    void aControllerWithZeroInterruptCellsTakesNoInterruptsProperty() throws Exception {
        DeviceTree zero = written(new FdtWriter().beginNode("").cells("interrupt-parent", 1).beginNode("intc")
                .cells("phandle", 1).cells("#interrupt-cells", 0).property("interrupt-controller", new byte[0])
                .endNode().beginNode("a").cells("interrupts", 3).endNode().beginNode("b")
                .property("interrupts", new byte[0]).endNode().endNode());
        assertMalformed("/a: interrupts: value is 4 bytes, not a whole number of 0-cell specifiers "
                + "(#interrupt-cells of /intc)", () -> zero.node("/a").orElseThrow().interrupts());
        assertEquals(List.of(), zero.node("/b").orElseThrow().interrupts());
    }

    @Test
    void nexusesThatRouteToEachOtherAreReported() throws Exception {
        DeviceTree circle = written(new FdtWriter().beginNode("")
                .beginNode("x").cells("phandle", 1).cells("#address-cells", 0).cells("#interrupt-cells", 1)
                .cells("interrupt-map", 1, 2, 1).endNode()
                .beginNode("y").cells("phandle", 2).cells("#address-cells", 0).cells("#interrupt-cells", 1)
                .cells("interrupt-map", 1, 1, 1).endNode()
                .beginNode("dev").cells("interrupt-parent", 1).cells("interrupts", 1).endNode().endNode());
        assertMalformed("/dev: interrupts: interrupt-map routing loops at /x",
                () -> circle.node("/dev").orElseThrow().interrupts());
    }

    @Test
    void aDeviceWithoutRegHasUnitAddressZeroAtANexus() throws Exception {
        DeviceTree nexus = written(new FdtWriter().beginNode("")
                .beginNode("intc").cells("phandle", 1).cells("#interrupt-cells", 1)
                .property("interrupt-controller", new byte[0]).endNode()
                .beginNode("bus").cells("#address-cells", 1).cells("#interrupt-cells", 1)
                .cells("interrupt-map", 0, 1, 1, 50, 4, 1, 1, 51)
                .beginNode("noreg").cells("interrupts", 1).endNode()
                .beginNode("dev@4").cells("reg", 4, 0).cells("interrupts", 1).endNode().endNode().endNode());
        DeviceNode intc = nexus.node("/intc").orElseThrow();
        assertEquals(List.of(on(intc, 50)), nexus.node("/bus/noreg").orElseThrow().interrupts());
        assertEquals(List.of(on(intc, 51)), nexus.node("/bus/dev@4").orElseThrow().interrupts());
    }

    @Test
    void anInterruptMapMaskMustCoverUnitAddressAndSpecifier() throws Exception {
        DeviceTree nexus = written(new FdtWriter().beginNode("")
                .beginNode("intc").cells("phandle", 1).cells("#interrupt-cells", 1)
                .property("interrupt-controller", new byte[0]).endNode()
                .beginNode("bus").cells("#address-cells", 1).cells("#interrupt-cells", 1)
                .cells("interrupt-map-mask", -1).cells("interrupt-map", 0, 1, 1, 50)
                .beginNode("dev").cells("interrupts", 1).endNode().endNode().endNode());
        assertMalformed("/bus: interrupt-map-mask: 1 cells, expected 2 (#address-cells + #interrupt-cells of the "
                + "nexus)", () -> nexus.node("/bus/dev").orElseThrow().interrupts());
    }

    @Test
    void specifiersPrintTheirCellsAndController() {
        assertEquals("7 1 (/interrupt-controller@1000)", on(intc, 7, 1).toString());
        assertEquals("4294967295 (/interrupt-controller@2000)", on(cascade, -1).toString());
    }
}

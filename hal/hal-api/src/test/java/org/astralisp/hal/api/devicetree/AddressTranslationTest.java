package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Worked examples of {@code reg} and {@code ranges} (devicetree specification
 * v0.4 §2.3.5, §2.3.6, §2.3.8) from {@code address-translation.dts}.
 */
class AddressTranslationTest {

    private static DeviceTree tree;

    @BeforeAll
    static void parse() throws Exception {
        tree = ReferenceBlobs.tree("address-translation");
    }

    private static DeviceNode node(String path) {
        return tree.node(path).orElseThrow(() -> new AssertionError("no node " + path));
    }

    private static void assertMalformed(String message, Executable access) {
        DevicePropertyException e = assertThrows(DevicePropertyException.class, access);
        assertEquals(message, e.getMessage());
    }

    @Test
    void regIsDecodedWithTheParentsCellSizes() throws Exception {
        assertEquals(List.of(new RegEntry(BusAddress.of(0x2000), 0x100), new RegEntry(BusAddress.of(0x3000), 0x10)),
                node("/bus32@100000000/device@2000").reg());
        assertEquals(List.of(new RegEntry(BusAddress.of(0x1, 0x0), 0x10_0000)), node("/bus32@100000000").reg());
    }

    @Test
    void rangesMapABusIntoItsParentsAddressSpace() throws Exception {
        assertEquals(List.of(new AddressRange(0x1_0000_2000L, 0x100), new AddressRange(0x1_0000_3000L, 0x10)),
                node("/bus32@100000000/device@2000").physicalReg());
    }

    @Test
    void translationClimbsThroughEveryAncestorsRanges() throws Exception {
        assertEquals(List.of(new AddressRange(0x1_0000_8040L, 0x4)),
                node("/bus32@100000000/bridge@8000/leaf@40").physicalReg());
        assertEquals(0x1_0000_8fffL, node("/bus32@100000000/bridge@8000").translateToPhysical(BusAddress.of(0xfff)));
    }

    @Test
    void anAddressOutsideEveryRangeHasNoPhysicalAddress() {
        assertMalformed("/bus32@100000000: ranges: address 0x200000 lies outside every range",
                () -> node("/bus32@100000000/outside@200000").physicalReg());
        assertMalformed("/bus32@100000000/bridge@8000: ranges: address 0x1000 lies outside every range",
                () -> node("/bus32@100000000/bridge@8000").translateToPhysical(BusAddress.of(0x1000)));
    }

    @Test
    void anEmptyRangesMapsIdentically() throws Exception {
        assertEquals(List.of(new AddressRange(0x1000_0000L, 0x100)), node("/soc/serial@10000000").physicalReg());
        assertEquals(List.of(), node("/soc").ranges());
    }

    @Test
    void aBusWithoutRangesIsNotMemoryMapped() throws Exception {
        DeviceNode eeprom = node("/i2c@20000000/eeprom@50");
        assertEquals(List.of(new RegEntry(BusAddress.of(0x50), 0)), eeprom.reg());
        assertEquals("0x50", eeprom.reg().getFirst().toString());
        assertMalformed("/i2c@20000000: ranges: missing, so address 0x50 on /i2c@20000000 has no CPU physical "
                + "address (§2.3.8)", eeprom::physicalReg);
        assertEquals(List.of(new AddressRange(0x2000_0000L, 0x1000)), node("/i2c@20000000").physicalReg());
    }

    @Test
    void aBusThatStatesNoCellSizesUsesTwoAddressCellsAndOneSizeCell() throws Exception {
        DeviceNode device = node("/defaults/device@40000000");
        assertEquals(List.of(new RegEntry(BusAddress.of(0x0, 0x4000_0000), 0x1000)), device.reg());
        assertEquals(List.of(new AddressRange(0x4000_0000L, 0x1000)), device.physicalReg());
    }

    @Test
    void pciRangesCarryTheSpaceCodeInPhysHi() throws Exception {
        DeviceNode pci = node("/pci@30000000");
        assertEquals(List.of(
                new RangesEntry(BusAddress.of(0x0100_0000, 0, 0), BusAddress.of(0x0, 0x300_0000), 0x1_0000),
                new RangesEntry(BusAddress.of(0x0200_0000, 0, 0x4000_0000), BusAddress.of(0x0, 0x4000_0000),
                        0x4000_0000)), pci.ranges());
        assertEquals(0x300_0010L, pci.translateToPhysical(BusAddress.of(0x0100_0000, 0, 0x10)));
        assertEquals(0x4000_1000L, pci.translateToPhysical(BusAddress.of(0x0200_0000, 0, 0x4000_1000)));
        assertMalformed("/pci@30000000: ranges: address 0x20000000000000080000000 lies outside every range",
                () -> pci.translateToPhysical(BusAddress.of(0x0200_0000, 0, 0x8000_0000)));
    }

    @Test
    void theRootsChildrenAreAlreadyPhysical() throws Exception {
        assertEquals(0x1234L, tree.root().translateToPhysical(BusAddress.of(0x1234)));
    }

    @Test
    void refusesARegThatIsNotAWholeNumberOfEntries() {
        assertMalformed("/malformed/short-reg@0: reg: value is 12 bytes, not a whole number of 8-byte entries "
                + "(#address-cells 1 + #size-cells 1 of /malformed)", () -> node("/malformed/short-reg@0").reg());
    }

    @Test
    void refusesRangesThatAreNotAWholeNumberOfEntries() {
        assertMalformed("/malformed: ranges: value is 12 bytes, not a whole number of 16-byte entries "
                + "(#address-cells 1 + #address-cells 2 of / + #size-cells 1)", () -> node("/malformed").ranges());
    }

    @Test
    void refusesAnAddressWiderThanFourCells() {
        assertMalformed("/wide: #address-cells: 5 is more than the 4 cells supported",
                () -> node("/wide/device@0").reg());
    }

    @Test
    void theRootHasNoRegOrRangesToDecode() throws Exception {
        DeviceNode root = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("reg", 0, 0, 0)
                .property("ranges", new byte[0]).endNode().end().build()).root();
        assertMalformed("/: reg: the root node has no parent bus to decode reg against", root::reg);
        assertMalformed("/: ranges: the root node has no parent address space to map into", root::ranges);
    }

    @Test
    void refusesARegOnABusWhoseEntriesHaveNoCells() throws Exception {
        DeviceNode device = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("#address-cells", 0)
                .cells("#size-cells", 0).beginNode("a").cells("reg", 1).endNode().beginNode("b")
                .property("reg", new byte[0]).endNode().endNode().end().build()).node("/a").orElseThrow();
        assertMalformed("/a: reg: value is 4 bytes, not a whole number of 0-byte entries "
                + "(#address-cells 0 + #size-cells 0 of /)", device::reg);
        assertEquals(List.of(), device.parent().orElseThrow().child("b").orElseThrow().reg());
    }

    @Test
    void refusesAPhysicalAddressBeyond64Bits() throws Exception {
        DeviceNode device = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("#address-cells", 3)
                .beginNode("a").cells("reg", 1, 0, 0, 0x10).endNode().endNode().end().build())
                .node("/a").orElseThrow();
        assertMalformed("/: ranges: address <0x1 0x0 0x0> translates to 0x10000000000000000, beyond 64 bits",
                device::physicalReg);
    }

    @Test
    void refusesARegThatEndsBeyondTheTopOfTheAddressSpace() throws Exception {
        DeviceTree top = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("#address-cells", 2)
                .cells("#size-cells", 2).beginNode("a").cells("reg", -1, 0xffff_f000, 0, 0x2000).endNode()
                .beginNode("b").cells("reg", -1, 0xffff_f000, 0, 0x1000).endNode().endNode().end().build());
        assertMalformed("/a: reg: 0xfffffffffffff000+0x2000 ends beyond the 64-bit physical address space",
                () -> top.node("/a").orElseThrow().physicalReg());
        assertEquals(List.of(new AddressRange(-0x1000L, 0x1000)), top.node("/b").orElseThrow().physicalReg());
    }

    @Test
    void busAddressesAreValuesOfTheirCells() {
        BusAddress pci = BusAddress.of(0x0200_0000, 0, 0x4000_0000);
        assertEquals(3, pci.cellCount());
        assertEquals(0x0200_0000, pci.cell(0));
        assertEquals(BigInteger.valueOf(0x0200_0000).shiftLeft(64).add(BigInteger.valueOf(0x4000_0000)), pci.value());
        assertEquals("<0x2000000 0x0 0x40000000>", pci.toString());
        assertEquals(BusAddress.of(0x1, 0xffff_ffff), BusAddress.of64(0x1_ffff_ffffL));
        assertEquals(BusAddress.of(7).hashCode(), BusAddress.of(7).hashCode());
        assertNotEquals(BusAddress.of(0, 7), BusAddress.of(7));
        assertEquals("0x1ffffffff", BusAddress.of64(0x1_ffff_ffffL).toString());
    }

    @Test
    void busAddressesAreCopiedFromTheCallersCells() {
        int[] cells = {1, 2};
        BusAddress address = BusAddress.of(cells);
        cells[0] = 9;
        assertEquals(1, address.cell(0));
    }
}

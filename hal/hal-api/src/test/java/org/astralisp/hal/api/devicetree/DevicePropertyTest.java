package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Typed property values (devicetree specification v0.4 §2.2.4) and the defaults of §2.3. */
class DevicePropertyTest {

    private static DeviceNode node;

    @BeforeAll
    static void parse() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").beginNode("dev@0")
                .cells("one", 0x1234_5678)
                .cells("two", 0x1, 0x2)
                .cells("three", 1, 2, 3)
                .property("odd", new byte[] {1, 2, 3})
                .property("flag", new byte[0])
                .strings("model", "AstraLisp")
                .strings("list", "a", "", "b")
                .property("unterminated", new byte[] {'a', 'b'})
                .property("control", new byte[] {'a', '\n', 0})
                .property("high", new byte[] {'a', (byte) 0xe9, 0})
                .cells("#address-cells", 5)
                .cells("#interrupt-cells", 9)
                .strings("#size-cells", "x")
                .endNode().endNode().end().build());
        node = tree.node("/dev@0").orElseThrow();
    }

    private static DeviceProperty property(String name) throws DevicePropertyException {
        return node.property(name);
    }

    private static void assertMalformed(String message, Executable access) {
        DevicePropertyException e = assertThrows(DevicePropertyException.class, access);
        assertEquals(message, e.getMessage());
    }

    @Test
    void aMissingPropertyIsReportedWithItsNodeAndName() {
        DevicePropertyException e = assertThrows(DevicePropertyException.class, () -> node.property("reg"));
        assertEquals("/dev@0: reg: missing", e.getMessage());
        assertEquals("/dev@0", e.nodePath());
        assertEquals("reg", e.property());
        assertEquals(Optional.empty(), node.findProperty("reg"));
        assertFalse(node.hasProperty("reg"));
    }

    @Test
    void propertiesKeepTheirBlobOrderAndKnowTheirNode() throws Exception {
        assertEquals(List.of("one", "two", "three"), node.properties().stream().limit(3)
                .map(DeviceProperty::name).toList());
        assertEquals("/dev@0", property("one").nodePath());
        assertEquals("/dev@0:one", property("one").toString());
    }

    @Test
    void offsetPointsAtTheValueInTheBlob() throws Exception {
        int root = 56;
        int child = root + 8;
        int firstProperty = child + 4 + 8;
        assertEquals(firstProperty + 12, property("one").offset());
    }

    @Test
    void decodesAU32() throws Exception {
        assertEquals(0x1234_5678, property("one").u32());
        assertMalformed("/dev@0: two: value is 8 bytes, expected 4 (a u32)", () -> property("two").u32());
    }

    @Test
    void decodesAU64MostSignificantCellFirst() throws Exception {
        assertEquals(0x1_0000_0002L, property("two").u64());
        assertMalformed("/dev@0: one: value is 4 bytes, expected 8 (a u64)", () -> property("one").u64());
    }

    @Test
    void aNumberIsOneOrTwoCells() throws Exception {
        assertEquals(0x1234_5678L, property("one").number());
        assertEquals(0x1_0000_0002L, property("two").number());
        assertMalformed("/dev@0: three: value is 12 bytes, expected 4 or 8 (one or two cells)",
                () -> property("three").number());
    }

    @Test
    void aOneCellNumberIsUnsigned() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("f", 0xb2d0_5e00)
                .endNode().end().build());
        assertEquals(0xb2d0_5e00L, tree.root().property("f").number());
    }

    @Test
    void decodesCells() throws Exception {
        assertArrayEquals(new int[] {1, 2, 3}, property("three").cells());
        assertArrayEquals(new int[0], property("flag").cells());
        assertMalformed("/dev@0: odd: value is 3 bytes, not a whole number of 32-bit cells",
                () -> property("odd").cells());
    }

    @Test
    void anEmptyPropertyIsTrueByBeingPresent() throws Exception {
        assertTrue(property("flag").isEmpty());
        assertEquals(0, property("flag").length());
        assertFalse(property("one").isEmpty());
    }

    @Test
    void bytesIsAReadOnlyBigEndianViewOfTheValue() throws Exception {
        ByteBuffer bytes = property("odd").bytes();
        assertTrue(bytes.isReadOnly());
        assertEquals(3, bytes.remaining());
        assertEquals(0x0102, bytes.getShort(0));
        bytes.get();
        assertEquals(0, property("odd").bytes().position());
    }

    @Test
    void decodesAString() throws Exception {
        assertEquals("AstraLisp", property("model").string());
        assertMalformed("/dev@0: list: holds 3 strings, expected one", () -> property("list").string());
        assertMalformed("/dev@0: flag: holds 0 strings, expected one", () -> property("flag").string());
    }

    @Test
    void decodesAStringList() throws Exception {
        assertEquals(List.of("a", "", "b"), property("list").strings());
        assertEquals(List.of(), property("flag").strings());
    }

    @Test
    void refusesAStringWithoutTerminator() {
        assertMalformed("/dev@0: unterminated: value does not end with a NUL terminator",
                () -> property("unterminated").strings());
    }

    @Test
    void refusesAStringWithUnprintableBytes() {
        assertMalformed("/dev@0: control: byte 0x0a at index 1 is not a printable character",
                () -> property("control").string());
        assertMalformed("/dev@0: high: byte 0xe9 at index 1 is not a printable character",
                () -> property("high").string());
    }

    @Test
    void cellSizesDefaultTo2And1() throws Exception {
        DeviceNode root = node.parent().orElseThrow();
        assertEquals(2, root.addressCells());
        assertEquals(1, root.sizeCells());
    }

    @Test
    void refusesCellSizesBeyondWhatAnAddressOrSizeCanHold() {
        assertMalformed("/dev@0: #address-cells: 5 is more than the 4 cells supported", node::addressCells);
        assertMalformed("/dev@0: #interrupt-cells: 9 is more than the 8 cells supported", node::interruptCells);
        assertMalformed("/dev@0: #size-cells: value is 2 bytes, expected 4 (a u32)", node::sizeCells);
    }

    @Test
    void interruptCellsHasNoDefault() {
        assertMalformed("/: #interrupt-cells: missing", () -> node.parent().orElseThrow().interruptCells());
    }
}

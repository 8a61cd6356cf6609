package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The structure and strings blocks (devicetree specification v0.4 §5.4, §5.5).
 * Blobs from {@link FdtWriter} put the structure block at 56 (no
 * reservations), so the root's FDT_BEGIN_NODE is at 56, its name at 60, and
 * the first token inside the root at 64.
 */
class StructureValidationTest {

    private static final int ROOT = 56;
    private static final int FIRST_INSIDE_ROOT = 64;

    private static FdtWriter root() {
        return new FdtWriter().beginNode("");
    }

    private static DeviceTreeFormatException refused(FdtWriter writer) {
        byte[] blob = writer.build();
        return assertThrows(DeviceTreeFormatException.class, () -> FlattenedDeviceTree.parse(blob));
    }

    private static void assertRefused(FdtWriter writer, int offset, String problem) {
        DeviceTreeFormatException e = refused(writer);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void readsNodesAndPropertiesInBlobOrderSkippingNops() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(new FdtWriter().nop().beginNode("").nop()
                .strings("model", "m").nop().beginNode("b").endNode().nop().beginNode("a@1").endNode()
                .endNode().nop().end().build());
        assertEquals(List.of("b", "a@1"), tree.root().children().stream().map(DeviceNode::name).toList());
        assertEquals("m", tree.root().property("model").string());
    }

    @Test
    void refusesAnUnknownToken() {
        assertRefused(root().token(0x7).endNode().end(), FIRST_INSIDE_ROOT, "unknown token 0x00000007");
    }

    @Test
    void refusesABlockWithoutFdtEnd() {
        assertRefused(root().endNode(), FIRST_INSIDE_ROOT + 4, "ends without an FDT_END token");
    }

    @Test
    void refusesFdtEndInsideANode() {
        assertRefused(root().beginNode("cpus").end(), 76, "FDT_END inside node /cpus");
    }

    @Test
    void refusesFdtEndBeforeAnyRootNode() {
        assertRefused(new FdtWriter().nop().end(), 60, "FDT_END before any root node");
    }

    @Test
    void refusesFdtEndNodeWithoutBeginNode() {
        assertRefused(new FdtWriter().endNode().end(), ROOT, "FDT_END_NODE without a matching FDT_BEGIN_NODE");
        assertRefused(root().endNode().endNode().end(), FIRST_INSIDE_ROOT + 4, "without a matching");
    }

    @Test
    void refusesASecondRootNode() {
        assertRefused(root().endNode().beginNode("").endNode().end(), FIRST_INSIDE_ROOT + 4, "a second root node");
    }

    @Test
    void refusesARootNodeWithAName() {
        assertRefused(new FdtWriter().beginNode("root").endNode().end(), ROOT, "the root node has the name \"root\"");
    }

    @Test
    void refusesAPropertyOutsideAnyNode() {
        assertRefused(root().endNode().cells("x", 1).end(), FIRST_INSIDE_ROOT + 4, "FDT_PROP outside any node");
    }

    @Test
    void refusesAPropertyAfterAChildNode() {
        assertRefused(root().beginNode("a").endNode().cells("late", 1).endNode().end(), 76,
                "property late of / follows a child node");
    }

    @Test
    void refusesAPropertyTwiceInANode() {
        assertRefused(root().cells("x", 1).cells("x", 2).endNode().end(), FIRST_INSIDE_ROOT + 16,
                "duplicate property x in /");
    }

    @Test
    void refusesTwoSiblingsWithOneName() {
        assertRefused(root().beginNode("a").endNode().beginNode("a").endNode().endNode().end(), 76,
                "duplicate node /a");
    }

    @Test
    void refusesANodeNameWithoutNul() {
        byte[] name = "abcd".getBytes(StandardCharsets.US_ASCII);
        FdtWriter writer = root().token(StructureBlock.FDT_BEGIN_NODE).token(
                (name[0] << 24) | (name[1] << 16) | (name[2] << 8) | name[3]);
        assertRefused(writer, FIRST_INSIDE_ROOT + 4, "node name is not NUL-terminated inside its block");
    }

    @Test
    void refusesANodeNameLongerThanTheLimit() {
        String name = "n".repeat(NameSyntax.MAX_LENGTH + 1);
        assertRefused(root().beginNode(name).endNode().endNode().end(), FIRST_INSIDE_ROOT + 4,
                "node name is longer than 255 bytes");
    }

    @Test
    void acceptsANodeNameAtTheLimit() throws Exception {
        String name = "n".repeat(NameSyntax.MAX_LENGTH);
        DeviceTree tree = FlattenedDeviceTree.parse(root().beginNode(name).endNode().endNode().end().build());
        assertTrue(tree.node("/" + name).isPresent());
    }

    @Test
    void refusesANodeNameWithCharactersOutsideTable2_1() {
        assertRefused(root().beginNode("a#b").endNode().endNode().end(), FIRST_INSIDE_ROOT + 4,
                "node name \"a#b\" contains '#'");
        assertRefused(root().beginNode("a\u0001").endNode().endNode().end(), FIRST_INSIDE_ROOT + 5,
                "node name contains byte 0x01");
    }

    @Test
    void refusesANodeNameWithAnEmptyPart() {
        assertRefused(root().beginNode("@1").endNode().endNode().end(), FIRST_INSIDE_ROOT + 4, "empty part");
        assertRefused(root().beginNode("uart@").endNode().endNode().end(), FIRST_INSIDE_ROOT + 4, "empty part");
        assertRefused(root().beginNode("a@1@2").endNode().endNode().end(), FIRST_INSIDE_ROOT + 4,
                "unit address of node \"a@1@2\" contains '@'");
    }

    @Test
    void refusesAPropertyNameOffsetOutsideTheStringsBlock() {
        assertRefused(root().property(0x40, new byte[0]).endNode().end(), FIRST_INSIDE_ROOT + 8,
                "property name offset 0x40 is outside the 0x0-byte strings block");
        assertRefused(root().property(-1, new byte[0]).endNode().end(), FIRST_INSIDE_ROOT + 8, "outside");
    }

    @Test
    void refusesAPropertyNameWithoutNulInTheStringsBlock() {
        FdtWriter writer = root().property(0, new byte[0]).endNode().end()
                .rawStrings("model".getBytes(StandardCharsets.US_ASCII));
        DeviceTreeFormatException e = refused(writer);
        assertTrue(e.getMessage().contains("property name is not NUL-terminated inside its block"), e.getMessage());
    }

    @Test
    void refusesAnEmptyPropertyName() {
        assertRefused(root().property(0, new byte[0]).endNode().end().rawStrings(new byte[1]), 84,
                "property name is empty");
    }

    @Test
    void refusesAPropertyNameWithCharactersOutsideTable2_2() {
        assertRefused(root().cells("a b", 1).endNode().end(), 89, "property name contains byte 0x20");
        assertRefused(root().cells("a/b", 1).endNode().end(), 88, "property name \"a/b\" contains '/'");
    }

    @Test
    void refusesAPropertyValueThatRunsPastTheBlock() {
        assertRefused(root().token(StructureBlock.FDT_PROP).token(0x100).token(0).endNode().end(),
                FIRST_INSIDE_ROOT + 4, "property value of 0x100 bytes runs past the end of the structure block");
        assertRefused(root().token(StructureBlock.FDT_PROP).token(-1).token(0).endNode().end(),
                FIRST_INSIDE_ROOT + 4, "runs past");
    }

    @Test
    void refusesAPropertyHeaderCutShortByTheEndOfTheBlock() {
        assertRefused(root().token(StructureBlock.FDT_PROP).token(0), FIRST_INSIDE_ROOT + 4,
                "FDT_PROP header runs past the end of the structure block");
    }

    @Test
    void refusesTrailingDataAfterFdtEnd() {
        assertRefused(root().endNode().end().nop(), FIRST_INSIDE_ROOT + 8,
                "0x4 bytes of trailing data after FDT_END");
    }

    @Test
    void acceptsNodesNestedToTheDepthLimit() throws Exception {
        FdtWriter writer = root();
        for (int depth = 1; depth < StructureParser.MAX_DEPTH; depth++) {
            writer.beginNode("n");
        }
        for (int depth = 0; depth < StructureParser.MAX_DEPTH; depth++) {
            writer.endNode();
        }
        DeviceTree tree = FlattenedDeviceTree.parse(writer.end().build());
        assertEquals(StructureParser.MAX_DEPTH, tree.nodes().size());
    }

    @Test
    void refusesNodesNestedBeyondTheDepthLimit() {
        FdtWriter writer = root();
        for (int depth = 1; depth <= StructureParser.MAX_DEPTH; depth++) {
            writer.beginNode("n");
        }
        DeviceTreeFormatException e = refused(writer);
        assertTrue(e.getMessage().contains("nodes nested deeper than 64"), e.getMessage());
    }

    @Test
    void refusesAPhandleThatIsNotOneCell() {
        assertRefused(root().cells("phandle", 1, 2).endNode().end(), FIRST_INSIDE_ROOT,
                "phandle of / is 8 bytes, expected 4");
    }

    @Test
    void refusesTheReservedPhandles() {
        assertRefused(root().cells("phandle", 0).endNode().end(), FIRST_INSIDE_ROOT, "phandle 0x0 of / is reserved");
        assertRefused(root().cells("phandle", -1).endNode().end(), FIRST_INSIDE_ROOT, "0xffffffff of / is reserved");
    }

    @Test
    void refusesOnePhandleOnTwoNodes() {
        assertRefused(root().beginNode("a").cells("phandle", 7).endNode().beginNode("b").cells("phandle", 7)
                .endNode().endNode().end(), 100, "phandle 0x7 of /b is already used by /a");
    }
}

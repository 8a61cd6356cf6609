package org.astralisp.hal.api.devicetree;

import static org.astralisp.hal.api.devicetree.FdtWriter.withU32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header and the memory reservation block (devicetree specification v0.4 §5.2, §5.3). */
class HeaderValidationTest {

    /** Header, reservation block at 40 (one entry and the terminator), structure at 72, strings after. */
    private static byte[] blob() {
        return new FdtWriter().reserve(0x8000_0000L, 0x20_0000).bootCpuId(3)
                .beginNode("").cells("#address-cells", 2).beginNode("cpus").endNode().endNode().end().build();
    }

    private static DeviceTreeFormatException refused(byte[] blob) {
        return assertThrows(DeviceTreeFormatException.class, () -> FlattenedDeviceTree.parse(blob));
    }

    private static void assertRefused(byte[] blob, int offset, String problem) {
        DeviceTreeFormatException e = refused(blob);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().startsWith(String.format("offset 0x%x: ", offset)), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void readsTheReservationsAndTheBootCpu() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(blob());
        assertEquals(List.of(new MemoryReservation(0x8000_0000L, 0x20_0000)), tree.memoryReservations());
        assertEquals(3, tree.bootCpuId());
        assertEquals("0x80000000+0x200000", tree.memoryReservations().getFirst().toString());
    }

    @Test
    void refusesABufferTooShortForTheMagicAndTotalsize() {
        assertRefused(new byte[7], 0, "too short");
    }

    @Test
    void refusesABadMagic() {
        assertRefused(withU32(blob(), 0, 0xfeedd00d), 0, "bad magic 0xfeedd00d");
    }

    @Test
    void refusesATotalsizeBeyondTheBuffer() {
        byte[] blob = blob();
        assertRefused(withU32(blob, 4, blob.length + 1), 4, "exceeds");
        assertRefused(withU32(blob, 4, -1), 4, "totalsize 0xffffffff exceeds");
    }

    @Test
    void refusesATotalsizeSmallerThanTheHeader() {
        assertRefused(withU32(blob(), 4, 35), 4, "smaller than a version 16 header");
        assertRefused(withU32(blob(), 4, 39), 4, "smaller than the 0x28-byte version 17 header");
    }

    @Test
    void refusesAVersionBefore16() {
        assertRefused(withU32(blob(), FdtWriter.VERSION, 15), FdtWriter.VERSION, "version 15 is older than 16");
    }

    @Test
    void refusesABlobThatNeedsAReaderNewerThan17() {
        byte[] blob = withU32(withU32(blob(), FdtWriter.VERSION, 18), FdtWriter.LAST_COMP_VERSION, 18);
        assertRefused(blob, FdtWriter.LAST_COMP_VERSION, "last_comp_version 18 needs a reader newer than version 17");
    }

    @Test
    void acceptsALaterVersionThatIsCompatibleWith17() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(withU32(blob(), FdtWriter.VERSION, 20));
        assertTrue(tree.node("/cpus").isPresent());
    }

    @Test
    void refusesALastCompatibleVersionNewerThanTheVersion() {
        byte[] blob = withU32(withU32(blob(), FdtWriter.VERSION, 16), FdtWriter.LAST_COMP_VERSION, 17);
        assertRefused(blob, FdtWriter.LAST_COMP_VERSION, "is newer than version 16");
    }

    @Test
    void readsAVersion16BlobWhoseStructureBlockRunsToTheStringsBlock() throws Exception {
        byte[] blob = withU32(withU32(blob(), FdtWriter.VERSION, 16), FdtWriter.SIZE_DT_STRUCT, 0);
        assertEquals(TreeDump.of(FlattenedDeviceTree.parse(blob())), TreeDump.of(FlattenedDeviceTree.parse(blob)));
    }

    @Test
    void refusesAMisalignedStructureBlock() {
        byte[] blob = blob();
        int structOffset = FdtWriter.u32At(blob, FdtWriter.OFF_DT_STRUCT);
        assertRefused(withU32(blob, FdtWriter.OFF_DT_STRUCT, structOffset + 2), FdtWriter.OFF_DT_STRUCT,
                "not 4-byte aligned");
    }

    @Test
    void refusesABlockThatStartsInsideTheHeader() {
        assertRefused(withU32(blob(), FdtWriter.OFF_DT_STRUCT, 36), FdtWriter.OFF_DT_STRUCT,
                "structure block offset 0x24 lies inside the 0x28-byte header");
        assertRefused(withU32(blob(), FdtWriter.OFF_DT_STRINGS, 0), FdtWriter.OFF_DT_STRINGS, "inside");
        assertRefused(withU32(blob(), FdtWriter.OFF_MEM_RSVMAP, 32), FdtWriter.OFF_MEM_RSVMAP, "inside");
    }

    @Test
    void refusesABlockThatStartsBeyondTotalsize() {
        byte[] blob = blob();
        assertRefused(withU32(blob, FdtWriter.OFF_DT_STRINGS, blob.length + 1), FdtWriter.OFF_DT_STRINGS,
                "beyond totalsize");
    }

    @Test
    void refusesABlockThatEndsBeyondTotalsize() {
        byte[] blob = blob();
        int structSize = FdtWriter.u32At(blob, FdtWriter.SIZE_DT_STRUCT);
        assertRefused(withU32(blob, FdtWriter.SIZE_DT_STRUCT, structSize + 4 + 0x100), FdtWriter.SIZE_DT_STRUCT,
                "structure block");
        assertRefused(withU32(blob, FdtWriter.SIZE_DT_STRINGS, -1), FdtWriter.SIZE_DT_STRINGS,
                "ends beyond totalsize");
    }

    @Test
    void refusesStringsThatOverlapTheStructureBlock() {
        byte[] blob = blob();
        int structOffset = FdtWriter.u32At(blob, FdtWriter.OFF_DT_STRUCT);
        assertRefused(withU32(blob, FdtWriter.OFF_DT_STRINGS, structOffset + 8), FdtWriter.OFF_DT_STRINGS,
                "overlaps the structure block");
    }

    @Test
    void refusesAMisalignedReservationBlock() {
        assertRefused(withU32(blob(), FdtWriter.OFF_MEM_RSVMAP, 44), FdtWriter.OFF_MEM_RSVMAP, "not 8-byte aligned");
    }

    @Test
    void refusesAReservationBlockWithoutTerminator() {
        byte[] blob = blob();
        int stringsOffset = FdtWriter.u32At(blob, FdtWriter.OFF_DT_STRINGS);
        byte[] unterminated = withU32(blob, FdtWriter.OFF_MEM_RSVMAP, stringsOffset & ~7);
        DeviceTreeFormatException e = refused(unterminated);
        assertTrue(e.getMessage().contains("no terminating zero entry"), e.getMessage());
    }

    @Test
    void refusesAReservationBlockThatOverlapsTheStructureBlock() {
        byte[] blob = withU32(blob(), FdtWriter.OFF_DT_STRUCT, 56);
        assertRefused(blob, 40, "memory reservation block [0x28, 0x48) overlaps the structure or strings block");
    }

    @Test
    void refusesAReservationThatWrapsPastTheEndOfTheAddressSpace() {
        byte[] blob = new FdtWriter().reserve(-0x1000L, 0x1001).beginNode("").endNode().end().build();
        assertRefused(blob, 40, "wraps");
    }

    @Test
    void acceptsAReservationThatEndsExactlyAtTheTopOfTheAddressSpace() throws Exception {
        byte[] blob = new FdtWriter().reserve(-0x1000L, 0x1000).beginNode("").endNode().end().build();
        assertEquals(List.of(new MemoryReservation(-0x1000L, 0x1000)),
                FlattenedDeviceTree.parse(blob).memoryReservations());
    }

    @Test
    void parsesFromTheBufferPositionWithoutMovingIt() throws Exception {
        byte[] blob = blob();
        ByteBuffer buffer = ByteBuffer.allocate(blob.length + 24);
        buffer.position(16).put(blob).position(16).limit(16 + blob.length + 8);
        DeviceTree tree = FlattenedDeviceTree.parse(buffer);
        assertEquals(3, tree.bootCpuId());
        assertEquals(16, buffer.position());
        assertEquals(16 + blob.length + 8, buffer.limit());
    }

    @Test
    void theTreeDoesNotChangeWhenTheCallersBufferDoes() throws Exception {
        byte[] blob = blob();
        DeviceTree tree = FlattenedDeviceTree.parse(blob);
        String before = TreeDump.of(tree);
        Arrays.fill(blob, (byte) 0x5a);
        assertEquals(before, TreeDump.of(tree));
    }

    @Test
    void propertyValuesAreReadOnly() throws Exception {
        DeviceProperty cells = FlattenedDeviceTree.parse(blob()).root().property("#address-cells");
        assertTrue(cells.bytes().isReadOnly());
        assertArrayEquals(new int[] {2}, cells.cells());
    }
}

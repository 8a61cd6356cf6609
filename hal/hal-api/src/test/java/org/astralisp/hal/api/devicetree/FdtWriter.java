package org.astralisp.hal.api.devicetree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes flattened device trees for tests (devicetree specification v0.4 §5):
 * from a parsed {@link DeviceTree}, or token by token so that a test can spell
 * exactly the malformed structure it wants. The layout is fixed — header (40
 * bytes), memory reservation block, structure block, strings block — and the
 * header describes it exactly; tests that need a bad header patch it with
 * {@link #withU32}.
 */
final class FdtWriter {

    static final int HEADER_SIZE = 40;
    static final int OFF_DT_STRUCT = 8;
    static final int OFF_DT_STRINGS = 12;
    static final int OFF_MEM_RSVMAP = 16;
    static final int VERSION = 20;
    static final int LAST_COMP_VERSION = 24;
    static final int SIZE_DT_STRINGS = 32;
    static final int SIZE_DT_STRUCT = 36;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> nameOffsets = new HashMap<>();
    private final List<MemoryReservation> reservations = new ArrayList<>();
    private int bootCpuId;

    /** The blob of {@code tree}: the same nodes, properties, reservations and boot CPU. */
    static byte[] serialize(DeviceTree tree) {
        FdtWriter writer = new FdtWriter().bootCpuId(tree.bootCpuId());
        tree.memoryReservations().forEach(r -> writer.reserve(r.address(), r.size()));
        writer.node(tree.root());
        return writer.end().build();
    }

    private void node(DeviceNode node) {
        beginNode(node.name());
        for (DeviceProperty property : node.properties()) {
            ByteBuffer value = property.bytes();
            byte[] bytes = new byte[value.remaining()];
            value.get(bytes);
            property(property.name(), bytes);
        }
        node.children().forEach(this::node);
        endNode();
    }

    FdtWriter beginNode(String name) {
        token(StructureBlock.FDT_BEGIN_NODE);
        return padded(name.getBytes(StandardCharsets.US_ASCII), true);
    }

    FdtWriter endNode() {
        return token(StructureBlock.FDT_END_NODE);
    }

    FdtWriter nop() {
        return token(StructureBlock.FDT_NOP);
    }

    FdtWriter end() {
        return token(StructureBlock.FDT_END);
    }

    FdtWriter property(String name, byte[] value) {
        return property(nameOffset(name), value);
    }

    /** A property whose {@code nameoff} is given as is, valid or not. */
    FdtWriter property(int nameOffset, byte[] value) {
        token(StructureBlock.FDT_PROP).token(value.length).token(nameOffset);
        return padded(value, false);
    }

    FdtWriter cells(String name, int... cells) {
        ByteBuffer value = ByteBuffer.allocate(4 * cells.length);
        for (int cell : cells) {
            value.putInt(cell);
        }
        return property(name, value.array());
    }

    FdtWriter strings(String name, String... values) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (String string : values) {
            value.writeBytes(string.getBytes(StandardCharsets.US_ASCII));
            value.write(0);
        }
        return property(name, value.toByteArray());
    }

    /** Any u32 in the structure block: a token, a length, garbage. */
    FdtWriter token(int value) {
        structure.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
        return this;
    }

    /** Raw bytes in the strings block, for names the writer would not produce. */
    FdtWriter rawStrings(byte[] bytes) {
        strings.writeBytes(bytes);
        return this;
    }

    FdtWriter reserve(long address, long size) {
        reservations.add(new MemoryReservation(address, size));
        return this;
    }

    FdtWriter bootCpuId(int id) {
        bootCpuId = id;
        return this;
    }

    byte[] build() {
        int reservationOffset = HEADER_SIZE;
        int structOffset = reservationOffset + 16 * (reservations.size() + 1);
        int stringsOffset = structOffset + structure.size();
        int totalSize = stringsOffset + strings.size();
        ByteBuffer blob = ByteBuffer.allocate(totalSize);
        blob.putInt(FdtHeader.MAGIC).putInt(totalSize).putInt(structOffset).putInt(stringsOffset)
                .putInt(reservationOffset).putInt(17).putInt(16).putInt(bootCpuId)
                .putInt(strings.size()).putInt(structure.size());
        for (MemoryReservation reservation : reservations) {
            blob.putLong(reservation.address()).putLong(reservation.size());
        }
        blob.putLong(0).putLong(0).put(structure.toByteArray()).put(strings.toByteArray());
        return blob.array();
    }

    /** A copy of {@code blob} with the big-endian u32 at {@code offset} replaced. */
    static byte[] withU32(byte[] blob, int offset, int value) {
        byte[] copy = blob.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    static int u32At(byte[] blob, int offset) {
        return ByteBuffer.wrap(blob).getInt(offset);
    }

    private int nameOffset(String name) {
        return nameOffsets.computeIfAbsent(name, n -> {
            int offset = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return offset;
        });
    }

    private FdtWriter padded(byte[] bytes, boolean terminate) {
        structure.writeBytes(bytes);
        int length = bytes.length + (terminate ? 1 : 0);
        if (terminate) {
            structure.write(0);
        }
        structure.writeBytes(new byte[(4 - length % 4) % 4]);
        return this;
    }
}

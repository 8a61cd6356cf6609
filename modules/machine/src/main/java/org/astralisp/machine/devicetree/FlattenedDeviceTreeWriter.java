package org.astralisp.machine.devicetree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a device tree as a flattened device tree blob, devicetree
 * specification v0.4 chapter 5. All fields are big-endian (§5.1).
 *
 * <p>Layout, as dtc lays it out:
 * <pre>
 *   0   header (§5.2): 10 x u32 = 40 bytes
 *  40   memory reservation block (§5.3): 8-byte aligned; the terminating
 *       {0, 0} entry only (this machine reserves no RAM)
 *  56   structure block (§5.4): 4-byte aligned tokens
 *       then the strings block (§5.5): NUL-terminated property names, unaligned
 * </pre>
 * The structure block is the tree in depth-first order (§5.4.2): for each node
 * {@code FDT_BEGIN_NODE} and its NUL-terminated unit name padded to 4 bytes,
 * its properties as {@code FDT_PROP, len, nameoff} and the value padded to 4
 * bytes, its children, {@code FDT_END_NODE}; then one {@code FDT_END}.
 * Properties name their string by offset into the strings block, each distinct
 * name stored once. The writer never emits {@code FDT_NOP}, which exists for
 * editing a blob in place (§5.4.1).
 */
public final class FlattenedDeviceTreeWriter {

    /** §5.2 {@code magic}. */
    public static final int MAGIC = 0xd00dfeed;
    /** §5.2: the version this writer produces. */
    public static final int VERSION = 17;
    /** §5.2: the lowest version a version-17 blob is backwards compatible with. */
    public static final int LAST_COMPATIBLE_VERSION = 16;

    /** §5.4.1 tokens. */
    public static final int FDT_BEGIN_NODE = 0x1;
    public static final int FDT_END_NODE = 0x2;
    public static final int FDT_PROP = 0x3;
    public static final int FDT_END = 0x9;

    private static final int HEADER_SIZE = 40;
    private static final int RESERVATION_ENTRY_SIZE = 16;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();

    private FlattenedDeviceTreeWriter() {
    }

    /**
     * The blob of the tree under {@code root}; {@code bootCpu} is the
     * {@code reg} of the CPU that boots (§5.2 {@code boot_cpuid_phys}).
     */
    public static byte[] write(DeviceTreeNode root, int bootCpu) {
        if (!root.name().isEmpty()) {
            throw new IllegalArgumentException("a device tree is written from its root, not from " + root.name());
        }
        FlattenedDeviceTreeWriter writer = new FlattenedDeviceTreeWriter();
        writer.node(root);
        writer.token(FDT_END);
        return writer.blob(bootCpu);
    }

    private void node(DeviceTreeNode node) {
        token(FDT_BEGIN_NODE);
        structure.writeBytes(node.name().getBytes(StandardCharsets.US_ASCII));
        structure.write(0);
        pad();
        for (DeviceTreeProperty property : node.properties()) {
            token(FDT_PROP);
            u32(property.length());
            u32(stringOffset(property.name()));
            property.writeValue(structure);
            pad();
        }
        for (DeviceTreeNode child : node.children()) {
            node(child);
        }
        token(FDT_END_NODE);
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, n -> {
            int offset = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return offset;
        });
    }

    private byte[] blob(int bootCpu) {
        int reservations = HEADER_SIZE;
        int structureOffset = reservations + RESERVATION_ENTRY_SIZE;
        int stringsOffset = structureOffset + structure.size();
        int total = stringsOffset + strings.size();
        ByteBuffer blob = ByteBuffer.allocate(total);
        blob.putInt(MAGIC)
                .putInt(total)
                .putInt(structureOffset)
                .putInt(stringsOffset)
                .putInt(reservations)
                .putInt(VERSION)
                .putInt(LAST_COMPATIBLE_VERSION)
                .putInt(bootCpu)
                .putInt(strings.size())
                .putInt(structure.size());
        blob.putLong(0).putLong(0);
        blob.put(structure.toByteArray());
        blob.put(strings.toByteArray());
        return blob.array();
    }

    private void token(int token) {
        u32(token);
    }

    private void u32(int value) {
        structure.write(value >>> 24);
        structure.write(value >>> 16);
        structure.write(value >>> 8);
        structure.write(value);
    }

    /** Zero bytes up to the next multiple of 4 (§5.4.1: tokens are 4-byte aligned). */
    private void pad() {
        while (structure.size() % 4 != 0) {
            structure.write(0);
        }
    }
}

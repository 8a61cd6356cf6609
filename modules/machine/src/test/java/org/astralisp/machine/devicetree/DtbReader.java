package org.astralisp.machine.devicetree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of flattened device tree blobs for the tests (devicetree
 * spec v0.4 chapter 5): it checks the header, alignment and token grammar and
 * fails on anything else, so that reading a blob back also checks its form.
 * Independent of the writer: it shares no code with it.
 */
public final class DtbReader {

    /** One node read back: its properties in blob order and its children. */
    public record Node(String name, Map<String, byte[]> properties, List<Node> children) {

        /** The node at {@code path} below this one ({@code soc/serial@10000000}). */
        public Node at(String path) {
            Node node = this;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                node = node.children.stream().filter(c -> c.name.equals(part)).findFirst()
                        .orElseThrow(() -> new AssertionError("no node " + part + " in " + path));
            }
            return node;
        }

        public boolean has(String property) {
            return properties.containsKey(property);
        }

        public byte[] bytes(String property) {
            byte[] value = properties.get(property);
            if (value == null) {
                throw new AssertionError(name + " has no property " + property);
            }
            return value;
        }

        public int[] cells(String property) {
            ByteBuffer value = ByteBuffer.wrap(bytes(property));
            if (value.remaining() % 4 != 0) {
                throw new AssertionError(name + "/" + property + " is not a whole number of cells");
            }
            int[] cells = new int[value.remaining() / 4];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = value.getInt();
            }
            return cells;
        }

        public int cell(String property) {
            int[] cells = cells(property);
            if (cells.length != 1) {
                throw new AssertionError(name + "/" + property + " has " + cells.length + " cells, not one");
            }
            return cells[0];
        }

        /** The NUL-terminated strings of a {@code <stringlist>}. */
        public List<String> strings(String property) {
            byte[] value = bytes(property);
            if (value.length == 0 || value[value.length - 1] != 0) {
                throw new AssertionError(name + "/" + property + " is not NUL-terminated");
            }
            return List.of(new String(value, 0, value.length - 1, StandardCharsets.UTF_8).split("\0", -1));
        }

        public String string(String property) {
            List<String> strings = strings(property);
            if (strings.size() != 1) {
                throw new AssertionError(name + "/" + property + " holds " + strings + ", not one string");
            }
            return strings.getFirst();
        }

        /** This node and all below it, depth first. */
        public List<Node> all() {
            List<Node> nodes = new ArrayList<>();
            nodes.add(this);
            children.forEach(c -> nodes.addAll(c.all()));
            return nodes;
        }
    }

    /** The header fields, §5.2. */
    public record Header(int magic, int totalSize, int structureOffset, int stringsOffset, int reservationsOffset,
            int version, int lastCompatibleVersion, int bootCpu, int stringsSize, int structureSize) {
    }

    private final ByteBuffer blob;
    private final Header header;

    private DtbReader(ByteBuffer blob) {
        this.blob = blob.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        this.header = new Header(this.blob.getInt(0), this.blob.getInt(4), this.blob.getInt(8), this.blob.getInt(12),
                this.blob.getInt(16), this.blob.getInt(20), this.blob.getInt(24), this.blob.getInt(28),
                this.blob.getInt(32), this.blob.getInt(36));
    }

    public static Header header(ByteBuffer blob) {
        return new DtbReader(blob).header;
    }

    /** Reads the whole blob and returns its root. */
    public static Node read(byte[] blob) {
        return read(ByteBuffer.wrap(blob));
    }

    public static Node read(ByteBuffer blob) {
        DtbReader reader = new DtbReader(blob);
        return reader.readTree();
    }

    private Node readTree() {
        Header h = header;
        check(h.magic == 0xd00dfeed, "bad magic 0x" + Integer.toHexString(h.magic));
        check(h.totalSize == blob.limit(), "totalsize " + h.totalSize + " but the blob has " + blob.limit());
        check(h.reservationsOffset % 8 == 0, "reservation block not 8-byte aligned");
        check(h.structureOffset % 4 == 0, "structure block not 4-byte aligned");
        check(h.version == 17 && h.lastCompatibleVersion == 16, "version " + h.version + "/" + h.lastCompatibleVersion);
        check(h.structureOffset + h.structureSize <= h.stringsOffset, "structure block overlaps the strings");
        check(h.stringsOffset + h.stringsSize <= h.totalSize, "strings block runs past the end");
        int at = h.reservationsOffset;
        while (blob.getLong(at) != 0 || blob.getLong(at + 8) != 0) {
            at += 16;
        }
        check(at + 16 <= h.structureOffset, "reservation block overlaps the structure block");
        int[] position = {h.structureOffset};
        check(blob.getInt(position[0]) == FlattenedDeviceTreeWriter.FDT_BEGIN_NODE, "structure does not begin a node");
        Node root = readNode(position);
        check(blob.getInt(position[0]) == FlattenedDeviceTreeWriter.FDT_END, "no FDT_END after the root");
        check(position[0] + 4 == h.structureOffset + h.structureSize, "size_dt_struct does not end at FDT_END");
        return root;
    }

    private Node readNode(int[] position) {
        position[0] += 4;
        String name = cString(position[0]);
        position[0] = align(position[0] + name.length() + 1);
        Map<String, byte[]> properties = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        while (true) {
            int token = blob.getInt(position[0]);
            switch (token) {
                case FlattenedDeviceTreeWriter.FDT_PROP -> {
                    check(children.isEmpty(), name + ": property after a child node (§5.4.2)");
                    int length = blob.getInt(position[0] + 4);
                    int nameOffset = blob.getInt(position[0] + 8);
                    check(nameOffset < header.stringsSize, name + ": nameoff outside the strings block");
                    String property = cString(header.stringsOffset + nameOffset);
                    byte[] value = new byte[length];
                    blob.get(position[0] + 12, value);
                    check(properties.put(property, value) == null, name + ": property " + property + " twice");
                    int end = position[0] + 12 + length;
                    for (int pad = end; pad < align(end); pad++) {
                        check(blob.get(pad) == 0, name + "/" + property + ": padding is not zero");
                    }
                    position[0] = align(end);
                }
                case FlattenedDeviceTreeWriter.FDT_BEGIN_NODE -> children.add(readNode(position));
                case FlattenedDeviceTreeWriter.FDT_END_NODE -> {
                    position[0] += 4;
                    return new Node(name, properties, children);
                }
                default -> throw new AssertionError("unexpected token 0x" + Integer.toHexString(token) + " at "
                        + position[0]);
            }
        }
    }

    private String cString(int at) {
        int end = at;
        while (blob.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        blob.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static int align(int offset) {
        return (offset + 3) & ~3;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError("malformed DTB: " + message);
        }
    }
}

package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the token stream of the structure block into nodes (devicetree
 * specification v0.4 §5.4.2): exactly one root node with an empty name; inside
 * each node its properties, then its children; {@code FDT_NOP} anywhere; then
 * {@code FDT_END}, after which the block must end (version 17, where its size
 * is known). Nesting is kept on an explicit stack bounded by
 * {@value #MAX_DEPTH}, so no input can exhaust the Java stack.
 *
 * <p>Beyond the token grammar it refuses what would make the model ambiguous:
 * two siblings with one name (§2.2.1), one property twice in a node (§2.2.4),
 * and a {@code phandle} that is not a unique u32 other than 0 and
 * 0xffffffff (§2.3.3).
 */
final class StructureParser {

    static final int MAX_DEPTH = 64;

    private final ByteBuffer blob;
    private final StructureBlock tokens;
    private final StringsBlock strings;
    private final boolean exactSize;
    private final Deque<NodeBuilder> open = new ArrayDeque<>();
    private final Map<Integer, String> phandles = new HashMap<>();

    StructureParser(ByteBuffer blob, FdtHeader header) {
        this.blob = blob;
        this.tokens = new StructureBlock(blob, header);
        this.strings = new StringsBlock(blob, header);
        this.exactSize = header.exactStructSize();
    }

    ParsedNode parse() throws DeviceTreeFormatException {
        ParsedNode root = null;
        while (true) {
            int at = tokens.offset();
            int token = tokens.nextToken();
            switch (token) {
                case StructureBlock.FDT_NOP -> { }
                case StructureBlock.FDT_BEGIN_NODE -> beginNode(at, root != null);
                case StructureBlock.FDT_PROP -> property(at);
                case StructureBlock.FDT_END_NODE -> {
                    ParsedNode node = endNode(at);
                    if (open.isEmpty()) {
                        root = node;
                    }
                }
                case StructureBlock.FDT_END -> {
                    end(at, root);
                    return root;
                }
                default -> throw new DeviceTreeFormatException(at, String.format("unknown token 0x%08x", token));
            }
        }
    }

    private void beginNode(int at, boolean rootDone) throws DeviceTreeFormatException {
        String name = tokens.nodeName();
        NodeBuilder parent = open.peek();
        if (parent == null) {
            if (rootDone) {
                throw new DeviceTreeFormatException(at, "a second root node \"" + name + "\"");
            }
            if (!name.isEmpty()) {
                throw new DeviceTreeFormatException(at, "the root node has the name \"" + name + "\"");
            }
            open.push(new NodeBuilder("", "/"));
            return;
        }
        NameSyntax.checkNodeName(name, at + 4);
        if (open.size() >= MAX_DEPTH) {
            throw new DeviceTreeFormatException(at, "nodes nested deeper than " + MAX_DEPTH);
        }
        if (!parent.childNames.add(name)) {
            throw new DeviceTreeFormatException(at, "duplicate node " + parent.childPath(name));
        }
        open.push(new NodeBuilder(name, parent.childPath(name)));
    }

    private void property(int at) throws DeviceTreeFormatException {
        NodeBuilder node = open.peek();
        if (node == null) {
            throw new DeviceTreeFormatException(at, "FDT_PROP outside any node");
        }
        StructureBlock.PropertyHeader header = tokens.propertyHeader();
        String name = strings.propertyName(header.nameOffset(), header.nameField());
        if (!node.children.isEmpty()) {
            throw new DeviceTreeFormatException(at,
                    "property " + name + " of " + node.path + " follows a child node (§5.4.2)");
        }
        if (!node.propertyNames.add(name)) {
            throw new DeviceTreeFormatException(at, "duplicate property " + name + " in " + node.path);
        }
        ByteBuffer value = blob.slice(header.valueOffset(), header.length());
        if (name.equals("phandle")) {
            node.phandle = phandle(at, node.path, value);
        }
        node.properties.add(new DeviceProperty(node.path, name, value, header.valueOffset()));
    }

    /** §2.3.3: a u32 that identifies the node uniquely; 0 and 0xffffffff are never valid. */
    private int phandle(int at, String path, ByteBuffer value) throws DeviceTreeFormatException {
        if (value.capacity() != 4) {
            throw new DeviceTreeFormatException(at,
                    "phandle of " + path + " is " + value.capacity() + " bytes, expected 4");
        }
        int phandle = value.getInt(0);
        if (phandle == 0 || phandle == -1) {
            throw new DeviceTreeFormatException(at, String.format("phandle 0x%x of %s is reserved", phandle, path));
        }
        String other = phandles.putIfAbsent(phandle, path);
        if (other != null) {
            throw new DeviceTreeFormatException(at,
                    String.format("phandle 0x%x of %s is already used by %s", phandle, path, other));
        }
        return phandle;
    }

    private ParsedNode endNode(int at) throws DeviceTreeFormatException {
        NodeBuilder node = open.poll();
        if (node == null) {
            throw new DeviceTreeFormatException(at, "FDT_END_NODE without a matching FDT_BEGIN_NODE");
        }
        ParsedNode parsed = node.build();
        NodeBuilder parent = open.peek();
        if (parent != null) {
            parent.children.add(parsed);
        }
        return parsed;
    }

    private void end(int at, ParsedNode root) throws DeviceTreeFormatException {
        if (!open.isEmpty()) {
            throw new DeviceTreeFormatException(at, "FDT_END inside node " + open.peek().path
                    + " (missing FDT_END_NODE)");
        }
        if (root == null) {
            throw new DeviceTreeFormatException(at, "FDT_END before any root node");
        }
        if (exactSize && tokens.offset() != tokens.end()) {
            throw new DeviceTreeFormatException(tokens.offset(), String.format(
                    "0x%x bytes of trailing data after FDT_END in the structure block",
                    tokens.end() - tokens.offset()));
        }
    }

    /** A node whose FDT_END_NODE has not been read yet. */
    private static final class NodeBuilder {

        final String name;
        final String path;
        final List<DeviceProperty> properties = new ArrayList<>();
        final Set<String> propertyNames = new HashSet<>();
        final List<ParsedNode> children = new ArrayList<>();
        final Set<String> childNames = new HashSet<>();
        int phandle;

        NodeBuilder(String name, String path) {
            this.name = name;
            this.path = path;
        }

        String childPath(String child) {
            return path.equals("/") ? "/" + child : path + "/" + child;
        }

        ParsedNode build() {
            return new ParsedNode(name, path, List.copyOf(properties), List.copyOf(children), phandle);
        }
    }
}

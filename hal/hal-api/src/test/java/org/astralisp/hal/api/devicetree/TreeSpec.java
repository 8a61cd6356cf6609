package org.astralisp.hal.api.devicetree;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A device tree described independently of the parser, for property tests:
 * random trees can be written as DTS (for dtc) or as a blob (with
 * {@link FdtWriter}), and dumped in {@link TreeDump}'s format to compare with
 * what the parser made of either.
 */
record TreeSpec(String name, List<PropertySpec> properties, List<TreeSpec> children) {

    record PropertySpec(String name, byte[] value) {
    }

    /** Characters both node and property names may use, and DTS can spell without quoting. */
    private static final String NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789,._+-";

    /** A random tree of at most {@code depth} levels below the root. */
    static TreeSpec random(Random random, int depth) {
        return random(random, "", depth);
    }

    private static TreeSpec random(Random random, String name, int depth) {
        List<PropertySpec> properties = new ArrayList<>();
        Set<String> propertyNames = new HashSet<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            String property = "p" + word(random, NAME_CHARACTERS, 1 + random.nextInt(8));
            if (propertyNames.add(property)) {
                byte[] value = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(24)];
                random.nextBytes(value);
                properties.add(new PropertySpec(property, value));
            }
        }
        List<TreeSpec> children = new ArrayList<>();
        Set<String> childNames = new HashSet<>();
        for (int i = depth == 0 ? 0 : random.nextInt(4); i > 0; i--) {
            String child = "n" + word(random, NAME_CHARACTERS, random.nextInt(6))
                    + (random.nextBoolean() ? "@" + Integer.toHexString(random.nextInt(0x10000)) : "");
            if (childNames.add(child)) {
                children.add(random(random, child, depth - 1));
            }
        }
        return new TreeSpec(name, properties, children);
    }

    private static String word(Random random, String alphabet, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return word.toString();
    }

    /** DTS source (v1) for this tree as the root, with {@code /memreserve/} entries. */
    String toDts(List<MemoryReservation> reservations) {
        StringBuilder dts = new StringBuilder("/dts-v1/;\n");
        reservations.forEach(r -> dts.append(String.format("/memreserve/ 0x%x 0x%x;%n", r.address(), r.size())));
        appendDts(dts, "/", 0);
        return dts.toString();
    }

    private void appendDts(StringBuilder dts, String label, int depth) {
        String indent = "\t".repeat(depth);
        dts.append(indent).append(label).append(" {\n");
        for (PropertySpec property : properties) {
            dts.append(indent).append('\t').append(property.name());
            if (property.value().length > 0) {
                dts.append(" = [").append(HexFormat.ofDelimiter(" ").formatHex(property.value())).append(']');
            }
            dts.append(";\n");
        }
        children.forEach(child -> child.appendDts(dts, child.name(), depth + 1));
        dts.append(indent).append("};\n");
    }

    /** This tree as the root of a blob. */
    void writeTo(FdtWriter writer) {
        writer.beginNode(name);
        properties.forEach(property -> writer.property(property.name(), property.value()));
        children.forEach(child -> child.writeTo(writer));
        writer.endNode();
    }

    /** What {@link TreeDump#of} should print for a tree with this root. */
    String dump(List<MemoryReservation> reservations, int bootCpuId) {
        StringBuilder dump = new StringBuilder("boot-cpu ").append(bootCpuId).append('\n');
        reservations.forEach(r -> dump.append("reserve ").append(r).append('\n'));
        appendDump(dump, "/");
        return dump.toString();
    }

    private void appendDump(StringBuilder dump, String path) {
        dump.append(path).append('\n');
        for (PropertySpec property : properties) {
            dump.append("  ").append(property.name()).append(" = ").append(HexFormat.of().formatHex(property.value()))
                    .append('\n');
        }
        children.forEach(child -> child.appendDump(dump, (path.equals("/") ? "/" : path + "/") + child.name()));
    }
}

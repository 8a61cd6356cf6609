package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One property of a node (devicetree specification v0.4 §2.2.4): a name and a
 * value of raw bytes, decoded on demand by the typed accessors. The value is a
 * read-only view into the parsed tree's copy of the blob; nothing is copied
 * until a caller decodes it. Every accessor checks the value's length and
 * encoding and names this node and property when it is wrong.
 */
public final class DeviceProperty {

    private final String nodePath;
    private final String name;
    private final ByteBuffer value;
    private final int offset;

    DeviceProperty(String nodePath, String name, ByteBuffer value, int offset) {
        this.nodePath = nodePath;
        this.name = name;
        this.value = value.asReadOnlyBuffer();
        this.offset = offset;
    }

    public String name() {
        return name;
    }

    /** The full path of the node this property belongs to. */
    public String nodePath() {
        return nodePath;
    }

    /** The blob offset of the value, for reports that point into the DTB. */
    public int offset() {
        return offset;
    }

    /** The value's length in bytes. */
    public int length() {
        return value.capacity();
    }

    /** §2.2.4.2 {@code <empty>}: a property that is true by being present ({@code interrupt-controller}). */
    public boolean isEmpty() {
        return length() == 0;
    }

    /** The raw value: a read-only, big-endian view positioned at 0. */
    public ByteBuffer bytes() {
        return value.duplicate();
    }

    /** §2.2.4.2 {@code <u32>}: exactly four bytes. */
    public int u32() throws DevicePropertyException {
        requireLength(4, "a u32");
        return value.getInt(0);
    }

    /** §2.2.4.2 {@code <u64>}: exactly eight bytes, two cells, most significant first. */
    public long u64() throws DevicePropertyException {
        requireLength(8, "a u64");
        return value.getLong(0);
    }

    /**
     * A number of one or two cells, as properties such as {@code clock-frequency}
     * and {@code timebase-frequency} allow (§3.7, §3.8): a u32 or a u64.
     */
    public long number() throws DevicePropertyException {
        return switch (length()) {
            case 4 -> Integer.toUnsignedLong(value.getInt(0));
            case 8 -> value.getLong(0);
            default -> throw malformed("value is " + length() + " bytes, expected 4 or 8 (one or two cells)");
        };
    }

    /** §2.2.4.2 {@code <prop-encoded-array>}: the value as big-endian 32-bit cells. */
    public int[] cells() throws DevicePropertyException {
        if (length() % 4 != 0) {
            throw malformed("value is " + length() + " bytes, not a whole number of 32-bit cells");
        }
        int[] cells = new int[length() / 4];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = value.getInt(4 * i);
        }
        return cells;
    }

    /** §2.2.4.2 {@code <string>}: exactly one NUL-terminated string of printable characters. */
    public String string() throws DevicePropertyException {
        List<String> strings = strings();
        if (strings.size() != 1) {
            throw malformed("holds " + strings.size() + " strings, expected one");
        }
        return strings.getFirst();
    }

    /**
     * §2.2.4.2 {@code <stringlist>}: NUL-terminated strings of printable ASCII,
     * one after another; an empty value is the empty list.
     */
    public List<String> strings() throws DevicePropertyException {
        String problem = stringListProblem();
        if (problem != null) {
            throw malformed(problem);
        }
        return splitStrings();
    }

    @Override
    public String toString() {
        return nodePath + ":" + name;
    }

    /** Whether {@link #strings()} would succeed; for lookups that treat a bad value as no match. */
    boolean isStringList() {
        return stringListProblem() == null;
    }

    /** The strings of a value that {@link #isStringList()} accepted. */
    List<String> splitStrings() {
        List<String> strings = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < length(); i++) {
            byte b = value.get(i);
            if (b == 0) {
                strings.add(current.toString());
                current.setLength(0);
            } else {
                current.append((char) b);
            }
        }
        return List.copyOf(strings);
    }

    DevicePropertyException malformed(String problem) {
        return new DevicePropertyException(nodePath, name, problem);
    }

    private String stringListProblem() {
        if (isEmpty()) {
            return null;
        }
        if (value.get(length() - 1) != 0) {
            return "value does not end with a NUL terminator";
        }
        for (int i = 0; i < length(); i++) {
            byte b = value.get(i);
            if (b != 0 && (b < 0x20 || b > 0x7e)) {
                return String.format("byte 0x%02x at index %d is not a printable character", b & 0xff, i);
            }
        }
        return null;
    }

    private void requireLength(int expected, String what) throws DevicePropertyException {
        if (length() != expected) {
            throw malformed("value is " + length() + " bytes, expected " + expected + " (" + what + ")");
        }
    }
}

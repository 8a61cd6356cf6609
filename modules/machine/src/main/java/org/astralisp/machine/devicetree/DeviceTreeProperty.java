package org.astralisp.machine.devicetree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One property of a device tree node: a name and a value of bytes (devicetree
 * spec v0.4 §2.2.4). The factories encode the spec's value types: empty,
 * {@code <u32>} cells (big-endian), {@code <string>} and {@code <stringlist>}
 * (each string NUL-terminated).
 *
 * <p>Invariants: the name is 1 to 31 characters of {@code [0-9a-zA-Z,._+?#-]}
 * (§2.2.4.1, Table 2.2); the value is never shared with a caller.
 */
public final class DeviceTreeProperty {

    private static final int MAXIMUM_NAME_LENGTH = 31;

    private final String name;
    private final byte[] value;

    private DeviceTreeProperty(String name, byte[] value) {
        this.name = checkName(name);
        this.value = value;
    }

    /** A property with no value: a boolean that is true by being present. */
    public static DeviceTreeProperty empty(String name) {
        return new DeviceTreeProperty(name, new byte[0]);
    }

    /** {@code <stringlist>}: the strings one after another, each NUL-terminated. */
    public static DeviceTreeProperty strings(String name, String... values) {
        StringBuilder text = new StringBuilder();
        for (String value : values) {
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("property " + name + ": a string may not contain NUL: "
                        + value.replace('\0', '?'));
            }
            text.append(value).append('\0');
        }
        return new DeviceTreeProperty(name, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code <u32>} cells, big-endian. */
    public static DeviceTreeProperty cells(String name, int... cells) {
        ByteBuffer bytes = ByteBuffer.allocate(cells.length * Integer.BYTES);
        for (int cell : cells) {
            bytes.putInt(cell);
        }
        return new DeviceTreeProperty(name, bytes.array());
    }

    /** {@code <prop-encoded-array>}. */
    public static DeviceTreeProperty cells(String name, PropEncodedArray cells) {
        return cells(name, cells.cells());
    }

    public String name() {
        return name;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    void writeValue(ByteArrayOutputStream out) {
        out.writeBytes(value);
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.length() > MAXIMUM_NAME_LENGTH
                || !name.chars().allMatch(c -> isNameCharacter(c) || c == '?' || c == '#')) {
            throw new IllegalArgumentException("not a property name (devicetree spec v0.4 §2.2.4.1: 1 to 31 of "
                    + "0-9 a-z A-Z , . _ + ? # -): '" + name + "'");
        }
        return name;
    }

    /** The characters node and property names share (§2.2.1 Table 2.1, §2.2.4.1 Table 2.2). */
    static boolean isNameCharacter(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || c == ',' || c == '.' || c == '_' || c == '+' || c == '-';
    }
}

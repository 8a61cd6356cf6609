package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;

/**
 * The characters node and property names may use (devicetree specification
 * v0.4 §2.2.1 Table 2.1, §2.2.4 Table 2.2), and the bounded read of a
 * NUL-terminated name from the blob. A name may be at most
 * {@value #MAX_LENGTH} bytes: the specification asks for 31, real trees go
 * somewhat beyond, and the bound keeps every scan for the terminating NUL
 * short whatever the input.
 */
final class NameSyntax {

    static final int MAX_LENGTH = 255;

    private static final String NODE_CHARACTERS = ",._+-";
    private static final String PROPERTY_CHARACTERS = ",._+?#-";

    private NameSyntax() {
    }

    /**
     * The name that starts at {@code from}, whose NUL must come before
     * {@code limit} and within {@value #MAX_LENGTH} bytes; only printable
     * ASCII is decoded, the caller checks the character set.
     */
    static String read(ByteBuffer blob, int from, int limit, String what) throws DeviceTreeFormatException {
        int scanEnd = (int) Math.min(limit, (long) from + MAX_LENGTH + 1);
        for (int i = from; i < scanEnd; i++) {
            byte b = blob.get(i);
            if (b == 0) {
                char[] name = new char[i - from];
                for (int j = 0; j < name.length; j++) {
                    name[j] = (char) blob.get(from + j);
                }
                return new String(name);
            }
            if (b < 0x21 || b > 0x7e) {
                throw new DeviceTreeFormatException(i, String.format("%s contains byte 0x%02x", what, b & 0xff));
            }
        }
        throw new DeviceTreeFormatException(from, scanEnd == limit
                ? what + " is not NUL-terminated inside its block"
                : what + " is longer than " + MAX_LENGTH + " bytes");
    }

    /** §2.2.1: {@code node-name@unit-address}, each part non-empty when present. */
    static void checkNodeName(String name, int offset) throws DeviceTreeFormatException {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        String unit = at < 0 ? "" : name.substring(at + 1);
        if (base.isEmpty() || (at >= 0 && unit.isEmpty())) {
            throw new DeviceTreeFormatException(offset, "node name \"" + name + "\" has an empty part");
        }
        check(base, NODE_CHARACTERS, "node name \"" + name + "\"", offset);
        check(unit, NODE_CHARACTERS, "unit address of node \"" + name + "\"", offset);
    }

    /** §2.2.4: 1 or more characters from Table 2.2. */
    static void checkPropertyName(String name, int offset) throws DeviceTreeFormatException {
        if (name.isEmpty()) {
            throw new DeviceTreeFormatException(offset, "property name is empty");
        }
        check(name, PROPERTY_CHARACTERS, "property name \"" + name + "\"", offset);
    }

    private static void check(String text, String punctuation, String what, int offset)
            throws DeviceTreeFormatException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || punctuation.indexOf(c) >= 0;
            if (!allowed) {
                throw new DeviceTreeFormatException(offset, what + " contains '" + c + "'");
            }
        }
    }
}

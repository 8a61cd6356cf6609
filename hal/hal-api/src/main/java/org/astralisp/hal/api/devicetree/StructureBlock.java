package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;

/**
 * A cursor over the tokens of the structure block (devicetree specification
 * v0.4 §5.4.1). Every token is a big-endian u32 at a 4-byte aligned offset;
 * the block starts aligned (checked by {@link FdtHeader}) and every step
 * advances by a multiple of four, so alignment holds by construction. Every
 * read is checked against the end of the block, and every step moves the
 * cursor forward, so a walk over any input ends.
 */
final class StructureBlock {

    static final int FDT_BEGIN_NODE = 0x1;
    static final int FDT_END_NODE = 0x2;
    static final int FDT_PROP = 0x3;
    static final int FDT_NOP = 0x4;
    static final int FDT_END = 0x9;

    private final ByteBuffer blob;
    private final int end;
    private long cursor;

    StructureBlock(ByteBuffer blob, FdtHeader header) {
        this.blob = blob;
        this.cursor = header.structOffset();
        this.end = header.structEnd();
    }

    /** The blob offset of the next token. */
    int offset() {
        return (int) cursor;
    }

    /** The blob offset where the block ends. */
    int end() {
        return end;
    }

    /** Reads the next token. */
    int nextToken() throws DeviceTreeFormatException {
        if (cursor + 4 > end) {
            throw new DeviceTreeFormatException(offset(), "structure block ends without an FDT_END token");
        }
        int token = blob.getInt(offset());
        cursor += 4;
        return token;
    }

    /** §5.4.1 FDT_BEGIN_NODE: the unit name follows, NUL-terminated and padded to 4 bytes. */
    String nodeName() throws DeviceTreeFormatException {
        String name = NameSyntax.read(blob, offset(), end, "node name");
        cursor = align(cursor + name.length() + 1);
        return name;
    }

    /**
     * §5.4.1 FDT_PROP: {@code len} and {@code nameoff} follow, then {@code len}
     * bytes of value padded to 4 bytes. The value must lie inside the block.
     */
    PropertyHeader propertyHeader() throws DeviceTreeFormatException {
        int header = offset();
        if (cursor + 8 > end) {
            throw new DeviceTreeFormatException(header, "FDT_PROP header runs past the end of the structure block");
        }
        long length = Integer.toUnsignedLong(blob.getInt(header));
        int nameOffset = blob.getInt(header + 4);
        long valueOffset = cursor + 8;
        if (valueOffset + length > end) {
            throw new DeviceTreeFormatException(header, String.format(
                    "property value of 0x%x bytes runs past the end of the structure block at 0x%x", length, end));
        }
        cursor = align(valueOffset + length);
        return new PropertyHeader(header + 4, nameOffset, (int) valueOffset, (int) length);
    }

    private static long align(long offset) {
        return (offset + 3) & ~3L;
    }

    /**
     * The fields of one FDT_PROP token.
     *
     * @param nameField   blob offset of the {@code nameoff} field
     * @param nameOffset  offset of the name in the strings block
     * @param valueOffset blob offset of the value
     * @param length      value length in bytes
     */
    record PropertyHeader(int nameField, int nameOffset, int valueOffset, int length) {
    }
}

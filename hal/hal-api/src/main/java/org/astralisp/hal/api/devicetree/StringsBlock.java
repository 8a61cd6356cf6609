package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A view of the strings block (devicetree specification v0.4 §5.5): the
 * NUL-terminated property names that {@code FDT_PROP} tokens point to by
 * offset. Names are decoded once per offset, since many properties share one.
 */
final class StringsBlock {

    private final ByteBuffer blob;
    private final int start;
    private final int size;
    private final Map<Integer, String> decoded = new HashMap<>();

    StringsBlock(ByteBuffer blob, FdtHeader header) {
        this.blob = blob;
        this.start = header.stringsOffset();
        this.size = header.stringsSize();
    }

    /**
     * The property name at {@code nameOffset} into the block; {@code field} is
     * the blob offset of the {@code nameoff} field, named if it points outside.
     */
    String propertyName(int nameOffset, int field) throws DeviceTreeFormatException {
        String name = decoded.get(nameOffset);
        if (name != null) {
            return name;
        }
        if (Integer.toUnsignedLong(nameOffset) >= size) {
            throw new DeviceTreeFormatException(field, String.format(
                    "property name offset 0x%x is outside the 0x%x-byte strings block", nameOffset, size));
        }
        int from = start + nameOffset;
        name = NameSyntax.read(blob, from, start + size, "property name");
        NameSyntax.checkPropertyName(name, from);
        decoded.put(nameOffset, name);
        return name;
    }
}

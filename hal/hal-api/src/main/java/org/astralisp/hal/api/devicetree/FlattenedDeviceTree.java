package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The parser of the flattened device tree format (DTB, devicetree
 * specification v0.4 §5). It checks the header (§5.2), reads the memory
 * reservation block (§5.3), walks the structure block (§5.4) resolving
 * property names in the strings block (§5.5), and returns an immutable
 * {@link DeviceTree}.
 *
 * <p>Any violation of the format is a {@link DeviceTreeFormatException} naming
 * the offset; no other exception leaves {@link #parse}, and the time it takes
 * is linear in the size of the blob whatever its content.
 *
 * <p>Copies: the parser copies the blob's {@code totalsize} bytes once, so the
 * tree stays valid and unchanged whatever the caller later does with its
 * buffer. Node and property names are decoded to strings; property values stay
 * read-only views into that copy and are decoded only when asked for.
 */
public final class FlattenedDeviceTree {

    private FlattenedDeviceTree() {
    }

    /**
     * Parses the blob that starts at {@code blob}'s position and runs at most to
     * its limit; the buffer's position, limit and byte order are not changed.
     */
    public static DeviceTree parse(ByteBuffer blob) throws DeviceTreeFormatException {
        ByteBuffer available = blob.slice().order(ByteOrder.BIG_ENDIAN);
        FdtHeader header = FdtHeader.read(available);
        ByteBuffer copy = ByteBuffer.allocate(header.totalSize()).put(0, available, 0, header.totalSize())
                .asReadOnlyBuffer();
        List<MemoryReservation> reservations = MemoryReservationBlock.read(copy, header);
        ParsedNode root = new StructureParser(copy, header).parse();
        return new DeviceTree(root, reservations, header.bootCpuId());
    }

    /** Parses a blob held in a byte array. */
    public static DeviceTree parse(byte[] blob) throws DeviceTreeFormatException {
        return parse(ByteBuffer.wrap(blob));
    }
}

package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;

/**
 * The header of a flattened device tree (devicetree specification v0.4 §5.2),
 * read and checked before anything else in the blob is touched. Every field is
 * a big-endian u32; offsets are validated here so that the block readers only
 * ever see regions that lie inside {@code totalsize} and do not overlap the
 * header or each other.
 *
 * @param totalSize          {@code totalsize}: bytes of the blob, all blocks and free space included
 * @param version            {@code version}: 16 or later
 * @param structOffset       {@code off_dt_struct}: start of the structure block (§5.4), 4-byte aligned
 * @param structEnd          end of the structure block: {@code off_dt_struct + size_dt_struct} from
 *                           version 17; before that, the start of the next block (or {@code totalsize})
 * @param exactStructSize    whether {@link #structEnd} came from {@code size_dt_struct}, so that any byte
 *                           after the {@code FDT_END} token is trailing garbage
 * @param stringsOffset      {@code off_dt_strings}: start of the strings block (§5.5)
 * @param stringsSize        {@code size_dt_strings}
 * @param reservationOffset  {@code off_mem_rsvmap}: start of the memory reservation block (§5.3), 8-byte aligned
 * @param bootCpuId          {@code boot_cpuid_phys}: the {@code reg} of the boot CPU's node
 */
record FdtHeader(int totalSize, int version, int structOffset, int structEnd, boolean exactStructSize,
                 int stringsOffset, int stringsSize, int reservationOffset, int bootCpuId) {

    static final int MAGIC = 0xd00dfeed;
    /** The oldest version whose layout this parser reads (§5.2: version 17, compatible with 16). */
    static final int OLDEST_VERSION = 16;
    /** The newest format this parser understands; a blob needing a newer reader is refused. */
    static final int NEWEST_COMPATIBLE_VERSION = 17;
    /** Header bytes up to and including {@code size_dt_strings} (version 16). */
    static final int V16_SIZE = 36;
    /** Header bytes up to and including {@code size_dt_struct} (version 17). */
    static final int V17_SIZE = 40;

    private static final int TOTALSIZE = 4;
    private static final int OFF_DT_STRUCT = 8;
    private static final int OFF_DT_STRINGS = 12;
    private static final int OFF_MEM_RSVMAP = 16;
    private static final int VERSION = 20;
    private static final int LAST_COMP_VERSION = 24;
    private static final int BOOT_CPUID_PHYS = 28;
    private static final int SIZE_DT_STRINGS = 32;
    private static final int SIZE_DT_STRUCT = 36;

    /**
     * Reads and checks the header at index 0 of {@code blob}; the blob's limit is
     * the number of bytes available, which {@code totalsize} must not exceed.
     */
    static FdtHeader read(ByteBuffer blob) throws DeviceTreeFormatException {
        int available = blob.limit();
        if (available < TOTALSIZE + 4) {
            throw new DeviceTreeFormatException(0, available + " bytes is too short for a device tree header");
        }
        int magic = blob.getInt(0);
        if (magic != MAGIC) {
            throw new DeviceTreeFormatException(0, String.format("bad magic 0x%08x (expected 0x%08x)", magic, MAGIC));
        }
        long totalSize = unsigned(blob.getInt(TOTALSIZE));
        if (totalSize > available) {
            throw new DeviceTreeFormatException(TOTALSIZE,
                    String.format("totalsize 0x%x exceeds the 0x%x bytes available", totalSize, available));
        }
        if (totalSize < V16_SIZE) {
            throw new DeviceTreeFormatException(TOTALSIZE,
                    String.format("totalsize 0x%x is smaller than a version 16 header", totalSize));
        }
        int version = checkVersion(blob);
        int headerSize = version >= NEWEST_COMPATIBLE_VERSION ? V17_SIZE : V16_SIZE;
        if (totalSize < headerSize) {
            throw new DeviceTreeFormatException(TOTALSIZE,
                    String.format("totalsize 0x%x is smaller than the 0x%x-byte version %d header",
                            totalSize, headerSize, version));
        }
        Block strings = block(blob, OFF_DT_STRINGS, SIZE_DT_STRINGS, "strings block", headerSize, totalSize);
        int reservationOffset = reservationOffset(blob, headerSize, totalSize);
        long structOffset = offset(blob, OFF_DT_STRUCT, "structure block", headerSize, totalSize);
        if (structOffset % 4 != 0) {
            throw new DeviceTreeFormatException(OFF_DT_STRUCT,
                    String.format("structure block offset 0x%x is not 4-byte aligned (§5.4)", structOffset));
        }
        Block structure = headerSize == V17_SIZE
                ? block(blob, OFF_DT_STRUCT, SIZE_DT_STRUCT, "structure block", headerSize, totalSize)
                : new Block(structOffset, nextBlockStart(structOffset, totalSize, strings.start, reservationOffset));
        if (structure.overlaps(strings)) {
            throw new DeviceTreeFormatException(OFF_DT_STRINGS, String.format(
                    "strings block [0x%x, 0x%x) overlaps the structure block [0x%x, 0x%x)",
                    strings.start, strings.end, structure.start, structure.end));
        }
        return new FdtHeader((int) totalSize, version, (int) structure.start, (int) structure.end,
                headerSize == V17_SIZE, (int) strings.start, (int) strings.size(), reservationOffset,
                blob.getInt(BOOT_CPUID_PHYS));
    }

    /** The extent of the structure block, for overlap checks against the reservation block. */
    Block structure() {
        return new Block(structOffset, structEnd);
    }

    /** The extent of the strings block, for overlap checks against the reservation block. */
    Block strings() {
        return new Block(stringsOffset, (long) stringsOffset + stringsSize);
    }

    /** §5.2: {@code version} at least 16; {@code last_comp_version} at most what this reader knows. */
    private static int checkVersion(ByteBuffer blob) throws DeviceTreeFormatException {
        long version = unsigned(blob.getInt(VERSION));
        if (version < OLDEST_VERSION) {
            throw new DeviceTreeFormatException(VERSION,
                    "version " + version + " is older than " + OLDEST_VERSION + ", the oldest this parser reads");
        }
        long lastCompatible = unsigned(blob.getInt(LAST_COMP_VERSION));
        if (lastCompatible > NEWEST_COMPATIBLE_VERSION) {
            throw new DeviceTreeFormatException(LAST_COMP_VERSION, "last_comp_version " + lastCompatible
                    + " needs a reader newer than version " + NEWEST_COMPATIBLE_VERSION);
        }
        if (lastCompatible > version) {
            throw new DeviceTreeFormatException(LAST_COMP_VERSION,
                    "last_comp_version " + lastCompatible + " is newer than version " + version);
        }
        return (int) version;
    }

    /** §5.3: the memory reservation block starts after the header, 8-byte aligned, inside the blob. */
    private static int reservationOffset(ByteBuffer blob, int headerSize, long totalSize)
            throws DeviceTreeFormatException {
        long offset = offset(blob, OFF_MEM_RSVMAP, "memory reservation block", headerSize, totalSize);
        if (offset % 8 != 0) {
            throw new DeviceTreeFormatException(OFF_MEM_RSVMAP,
                    String.format("memory reservation block offset 0x%x is not 8-byte aligned (§5.3)", offset));
        }
        return (int) offset;
    }

    private static Block block(ByteBuffer blob, int offsetField, int sizeField, String what, int headerSize,
                               long totalSize) throws DeviceTreeFormatException {
        long start = offset(blob, offsetField, what, headerSize, totalSize);
        long size = unsigned(blob.getInt(sizeField));
        if (start + size > totalSize) {
            throw new DeviceTreeFormatException(sizeField, String.format(
                    "%s [0x%x, 0x%x) ends beyond totalsize 0x%x", what, start, start + size, totalSize));
        }
        return new Block(start, start + size);
    }

    private static long offset(ByteBuffer blob, int field, String what, int headerSize, long totalSize)
            throws DeviceTreeFormatException {
        long offset = unsigned(blob.getInt(field));
        if (offset < headerSize) {
            throw new DeviceTreeFormatException(field,
                    String.format("%s offset 0x%x lies inside the 0x%x-byte header", what, offset, headerSize));
        }
        if (offset > totalSize) {
            throw new DeviceTreeFormatException(field,
                    String.format("%s offset 0x%x is beyond totalsize 0x%x", what, offset, totalSize));
        }
        return offset;
    }

    /** Version 16 has no {@code size_dt_struct}: the structure block runs to whatever comes next. */
    private static long nextBlockStart(long structOffset, long totalSize, long stringsOffset, long reservationOffset) {
        long end = totalSize;
        for (long start : new long[] {stringsOffset, reservationOffset}) {
            if (start > structOffset && start < end) {
                end = start;
            }
        }
        return end;
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }

    /** A half-open byte range {@code [start, end)} of the blob. */
    record Block(long start, long end) {

        long size() {
            return end - start;
        }

        /** Empty blocks overlap nothing. */
        boolean overlaps(Block other) {
            return start < other.end && other.start < end;
        }
    }
}

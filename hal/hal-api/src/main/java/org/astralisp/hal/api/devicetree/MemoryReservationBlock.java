package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the memory reservation block (devicetree specification v0.4 §5.3): a
 * list of big-endian {@code (address, size)} u64 pairs ending with an entry
 * whose address and size are both zero. The list is bounded by
 * {@code totalsize}, and the block, terminator included, must not overlap the
 * structure or strings block.
 */
final class MemoryReservationBlock {

    private static final int ENTRY_SIZE = 16;

    private MemoryReservationBlock() {
    }

    static List<MemoryReservation> read(ByteBuffer blob, FdtHeader header) throws DeviceTreeFormatException {
        List<MemoryReservation> reservations = new ArrayList<>();
        int offset = header.reservationOffset();
        while (true) {
            if ((long) offset + ENTRY_SIZE > header.totalSize()) {
                throw new DeviceTreeFormatException(offset,
                        "memory reservation block has no terminating zero entry before totalsize");
            }
            long address = blob.getLong(offset);
            long size = blob.getLong(offset + 8);
            if (address == 0 && size == 0) {
                break;
            }
            if (size != 0 && Long.compareUnsigned(address + (size - 1), address) < 0) {
                throw new DeviceTreeFormatException(offset, String.format(
                        "memory reservation 0x%x+0x%x wraps past the end of the address space", address, size));
            }
            reservations.add(new MemoryReservation(address, size));
            offset += ENTRY_SIZE;
        }
        FdtHeader.Block block = new FdtHeader.Block(header.reservationOffset(), offset + ENTRY_SIZE);
        if (block.overlaps(header.structure()) || block.overlaps(header.strings())) {
            throw new DeviceTreeFormatException(header.reservationOffset(), String.format(
                    "memory reservation block [0x%x, 0x%x) overlaps the structure or strings block",
                    block.start(), block.end()));
        }
        return List.copyOf(reservations);
    }
}

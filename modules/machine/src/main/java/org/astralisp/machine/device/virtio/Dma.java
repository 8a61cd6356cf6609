package org.astralisp.machine.device.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * A device's DMA view of guest RAM: the little-endian fields of virtqueues
 * (virtio 1.2 §2.7: every ring field is little-endian on every platform) and
 * the bytes of buffers, each access checked to lie wholly in RAM first.
 *
 * <p>A guest-physical address comes from the driver and is a 64-bit unsigned
 * number; one outside RAM, or a range that runs past its end or wraps, is a
 * driver error ({@link VirtqueueException} naming the address and what it was
 * for), never a host exception. Unaligned fields are read as they are: the
 * alignment rules of §2.7 are checked where queues are set up.
 */
final class Dma {

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final PhysicalMemory memory;

    Dma(PhysicalMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /** Whether guest-physical {@code [physical, physical + length)} is all RAM ({@code length >= 0}). */
    boolean inRam(long physical, long length) {
        long base = memory.base();
        return physical >= base && length >= 0 && length <= memory.size() && physical - base <= memory.size() - length;
    }

    /** Checks that {@code [physical, physical + length)} is all RAM; {@code what} names it in the error. */
    void check(long physical, long length, String what) {
        if (!inRam(physical, length)) {
            throw new VirtqueueException(what + " at 0x" + Long.toHexString(physical) + " (+0x"
                    + Long.toHexString(length) + ") is not all RAM [0x" + Long.toHexString(memory.base()) + ", 0x"
                    + Long.toHexString(memory.base() + memory.size()) + ")");
        }
    }

    int u16(long physical, String what) {
        return Short.toUnsignedInt(segment(physical, 2, what).get(LE16, 0));
    }

    long u32(long physical, String what) {
        return Integer.toUnsignedLong(segment(physical, 4, what).get(LE32, 0));
    }

    long u64(long physical, String what) {
        return segment(physical, 8, what).get(LE64, 0);
    }

    void putU16(long physical, int value, String what) {
        segment(physical, 2, what).set(LE16, 0, (short) value);
    }

    void putU32(long physical, long value, String what) {
        segment(physical, 4, what).set(LE32, 0, (int) value);
    }

    /** Copies {@code length} bytes of {@code data} from {@code from} to guest-physical {@code physical}. */
    void write(long physical, byte[] data, int from, int length, String what) {
        MemorySegment.copy(data, from, segment(physical, length, what), ValueLayout.JAVA_BYTE, 0, length);
    }

    private MemorySegment segment(long physical, long length, String what) {
        check(physical, length, what);
        return memory.segment().asSlice(physical - memory.base(), length);
    }
}

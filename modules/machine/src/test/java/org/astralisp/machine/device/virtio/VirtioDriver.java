package org.astralisp.machine.device.virtio;

import static org.astralisp.machine.device.virtio.VirtioMmioTransport.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * A test-side virtio-mmio driver that does what an OS driver does, through
 * the ports only: registers through an {@link Mmio} window, rings and buffers
 * in {@link PhysicalMemory}, little-endian (virtio 1.2 §4.2.3, §3.1.1, §2.7.13).
 * Queue 0's rings sit at RAM + 1 MiB, buffers from RAM + 2 MiB.
 */
final class VirtioDriver {

    static final long RING_OFFSET = 0x10_0000;
    static final long BUFFER_OFFSET = 0x20_0000;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Used(int id, int length) {
    }

    final Mmio regs;
    final PhysicalMemory memory;
    int size;
    long descriptors;
    long driverArea;
    long deviceArea;
    private int availIdx;
    private int usedSeen;
    private int nextDescriptor;
    private long nextBuffer;

    VirtioDriver(Mmio regs, PhysicalMemory memory) {
        this.regs = regs;
        this.memory = memory;
        this.nextBuffer = memory.base() + BUFFER_OFFSET;
    }

    int read(int register) {
        return regs.read32(register);
    }

    void write(int register, int value) {
        regs.write32(register, value);
    }

    int status() {
        return read(STATUS);
    }

    void addStatus(int bits) {
        write(STATUS, status() | bits);
    }

    long deviceFeatures() {
        write(DEVICE_FEATURES_SEL, 0);
        long low = Integer.toUnsignedLong(read(DEVICE_FEATURES));
        write(DEVICE_FEATURES_SEL, 1);
        return low | ((long) read(DEVICE_FEATURES) << 32);
    }

    void writeDriverFeatures(long features) {
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, (int) features);
        write(DRIVER_FEATURES_SEL, 1);
        write(DRIVER_FEATURES, (int) (features >>> 32));
    }

    /** §3.1.1 steps 1–6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK; whether the device kept FEATURES_OK. */
    boolean negotiate(long features) {
        write(STATUS, 0);
        if (status() != 0) {
            throw new AssertionError("status after reset: " + status());
        }
        addStatus(ACKNOWLEDGE);
        addStatus(DRIVER);
        writeDriverFeatures(features);
        addStatus(FEATURES_OK);
        return (status() & FEATURES_OK) != 0;
    }

    /** §3.1.1 in full with {@code features} and queue 0 of {@code queueSize} entries; fails if FEATURES_OK is refused. */
    void initialize(long features, int queueSize) {
        if (read(MAGIC_VALUE) != MAGIC || read(VERSION_REGISTER) != 2) {
            throw new AssertionError("not a virtio-mmio version 2 device");
        }
        if (!negotiate(features)) {
            throw new AssertionError("FEATURES_OK refused for 0x" + Long.toHexString(features));
        }
        setUpQueue(queueSize);
        addStatus(DRIVER_OK);
    }

    /** §4.2.3.2 for queue 0, rings at RAM + 1 MiB, zeroed. */
    void setUpQueue(int queueSize) {
        write(QUEUE_SEL, 0);
        if (read(QUEUE_READY) != 0) {
            throw new AssertionError("queue 0 already ready");
        }
        if (queueSize > read(QUEUE_NUM_MAX)) {
            throw new AssertionError("queue size " + queueSize + " above QueueNumMax " + read(QUEUE_NUM_MAX));
        }
        size = queueSize;
        descriptors = memory.base() + RING_OFFSET;
        driverArea = descriptors + 16L * size;
        deviceArea = (driverArea + 6 + 2L * size + 3) & ~3L;
        segment(descriptors, deviceArea + 6 + 8L * size - descriptors).fill((byte) 0);
        availIdx = 0;
        usedSeen = 0;
        nextDescriptor = 0;
        write(QUEUE_NUM, size);
        writeAddress(QUEUE_DESC_LOW, descriptors);
        writeAddress(QUEUE_DRIVER_LOW, driverArea);
        writeAddress(QUEUE_DEVICE_LOW, deviceArea);
        write(QUEUE_READY, 1);
    }

    void writeAddress(int lowRegister, long address) {
        write(lowRegister, (int) address);
        write(lowRegister + 4, (int) (address >>> 32));
    }

    /** A fresh buffer of {@code length} bytes, filled with {@code fill}. */
    long buffer(int length, byte fill) {
        long rounded = (length + 15) & ~15L;
        if (nextBuffer + rounded > memory.base() + memory.size()) {
            nextBuffer = memory.base() + BUFFER_OFFSET;
        }
        long address = nextBuffer;
        nextBuffer += rounded;
        segment(address, length).fill(fill);
        return address;
    }

    /** Writes descriptor {@code index} of the table at {@code table}. */
    void descriptor(long table, int index, long address, long length, int flags, int next) {
        MemorySegment d = segment(table + 16L * index, 16);
        d.set(LE64, 0, address);
        d.set(LE32, 8, (int) length);
        d.set(LE16, 12, (short) flags);
        d.set(LE16, 14, (short) next);
    }

    /** The {@code addr} of descriptor {@code index} of the queue's table. */
    long descriptorAddress(int index) {
        return segment(descriptors + 16L * index, 8).get(LE64, 0);
    }

    /** Puts one chain of device-writable buffers of these lengths in the table and makes it available; its head. */
    int submitWritable(int... lengths) {
        int head = nextDescriptor;
        for (int i = 0; i < lengths.length; i++) {
            int index = (head + i) % size;
            boolean last = i == lengths.length - 1;
            descriptor(descriptors, index, buffer(lengths[i], (byte) 0), lengths[i],
                    Virtqueue.DESC_F_WRITE | (last ? 0 : Virtqueue.DESC_F_NEXT), (index + 1) % size);
        }
        nextDescriptor = (head + lengths.length) % size;
        publish(head);
        return head;
    }

    /** §2.7.13: the head into the next avail ring entry, a barrier, then avail idx. */
    void publish(int head) {
        segment(driverArea + 4 + 2L * (availIdx % size), 2).set(LE16, 0, (short) head);
        VarHandle.releaseFence();
        availIdx = (availIdx + 1) & 0xFFFF;
        setAvailIdx(availIdx);
    }

    void setAvailIdx(int idx) {
        segment(driverArea + 2, 2).set(LE16, 0, (short) idx);
        VarHandle.fullFence();
    }

    void setAvailFlags(int flags) {
        segment(driverArea, 2).set(LE16, 0, (short) flags);
    }

    void setUsedEvent(int index) {
        segment(driverArea + 4 + 2L * size, 2).set(LE16, 0, (short) index);
    }

    int availEvent() {
        return Short.toUnsignedInt(segment(deviceArea + 4 + 8L * size, 2).get(LE16, 0));
    }

    void notifyQueue() {
        write(QUEUE_NOTIFY, 0);
    }

    int usedIdx() {
        VarHandle.fullFence();
        return Short.toUnsignedInt(segment(deviceArea + 2, 2).get(LE16, 0));
    }

    /** The next used element, waiting up to {@code timeout} for it (§2.7.14). */
    Used awaitUsed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (usedIdx() == usedSeen) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no used buffer within " + timeout + "; status 0x"
                        + Integer.toHexString(status()));
            }
            Thread.sleep(1);
        }
        VarHandle.acquireFence();
        MemorySegment element = segment(deviceArea + 4 + 8L * (usedSeen % size), 8);
        usedSeen = (usedSeen + 1) & 0xFFFF;
        // A register access waits for the device to finish the completion it may still be in, whose last step is
        // the interrupt: after it, InterruptStatus and the line show this used buffer.
        read(STATUS);
        return new Used(element.get(LE32, 0), element.get(LE32, 4));
    }

    /** Waits up to {@code timeout} for the device to publish {@code expected} in {@code avail_event} (§2.7.10). */
    void awaitAvailEvent(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (availEvent() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("avail_event " + availEvent() + ", not " + expected + ", after " + timeout);
            }
            Thread.sleep(1);
        }
    }

    /** Waits up to {@code timeout} for every bit of {@code bits} in the status register. */
    void awaitStatus(int bits, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((status() & bits) != bits) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("status 0x" + Integer.toHexString(status()) + " still lacks 0x"
                        + Integer.toHexString(bits) + " after " + timeout);
            }
            Thread.sleep(1);
        }
    }

    byte[] bytes(long address, int length) {
        return segment(address, length).toArray(ValueLayout.JAVA_BYTE);
    }

    MemorySegment segment(long physical, long length) {
        return memory.segment().asSlice(physical - memory.base(), length);
    }
}

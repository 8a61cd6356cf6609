package org.astralisp.machine.device.virtio;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of one split virtqueue (virtio 1.2 §2.7) in guest RAM:
 * the descriptor table (16 bytes per entry: le64 addr, le32 len, le16 flags,
 * le16 next), the available ring the driver writes (le16 flags, le16 idx,
 * le16 ring[size], le16 used_event) and the used ring the device writes
 * (le16 flags, le16 idx, {le32 id, le32 len}[size], le16 avail_event).
 *
 * <p>Invariants: {@code size} is a power of two, 1..32768; the three areas lie
 * in RAM with the alignment of §2.7 (checked by the transport before the queue
 * is made); {@code lastAvail} and {@code usedIdx} are free-running 16-bit
 * counters. Everything read from guest memory is untrusted: every walk is
 * bounded (a chain visits at most {@code size} descriptors of the table, each
 * once at most, §2.7.5.2, and at most as many of an indirect table as it holds,
 * up to 32768, the largest queue size: Linux fills indirect tables beyond the
 * queue size, as QEMU accepts), every
 * index and address is checked, and a violation is a
 * {@link VirtqueueException}, after which the transport uses the queue no more.
 *
 * <p>Memory ordering (§2.7.13, §2.7.14): the device reads {@code avail->idx},
 * then, after an acquire fence, the ring entry and descriptors it covers; it
 * writes a used element, then, after a release fence, {@code used->idx}; and
 * after a full fence reads the driver's suppression field. The driver's
 * barriers pair with these. Not thread-safe: the transport calls it under its
 * monitor, from one worker thread at a time.
 */
final class Virtqueue {

    /** §2.7.5: the buffer continues via the {@code next} field. */
    static final int DESC_F_NEXT = 1;
    /** §2.7.5: the buffer is device-writable (otherwise device-readable). */
    static final int DESC_F_WRITE = 2;
    /** §2.7.5.3: the buffer holds a table of indirect descriptors. */
    static final int DESC_F_INDIRECT = 4;
    /** §2.7.7: the driver asks for no used-buffer notification (without VIRTIO_F_EVENT_IDX). */
    static final int AVAIL_F_NO_INTERRUPT = 1;

    static final int DESCRIPTOR_SIZE = 16;
    /** §2.7: the largest queue size of a split virtqueue. */
    static final int MAX_SIZE = 32768;
    /** A chain's buffers may total less than 2^32 bytes (§2.7.5.2). */
    private static final long MAX_CHAIN_BYTES = 0xFFFF_FFFFL;

    private final int index;
    private final int size;
    private final long descriptors;
    private final long driverArea;
    private final long deviceArea;
    private final boolean indirect;
    private final boolean eventIndex;
    private final Dma dma;
    private int lastAvail;
    private int usedIdx;

    /**
     * Queue {@code index} of {@code size} entries at the given areas; indices start at 0, as over the zeroed memory
     * the driver gives a new queue (§4.2.3.2 step 4).
     */
    Virtqueue(int index, int size, long descriptors, long driverArea, long deviceArea, boolean indirect,
            boolean eventIndex, Dma dma) {
        this.index = index;
        this.size = size;
        this.descriptors = descriptors;
        this.driverArea = driverArea;
        this.deviceArea = deviceArea;
        this.indirect = indirect;
        this.eventIndex = eventIndex;
        this.dma = dma;
    }

    /** The descriptor table's size in bytes (§2.7). */
    static long descriptorTableBytes(int size) {
        return (long) DESCRIPTOR_SIZE * size;
    }

    /** The available ring's size in bytes, {@code used_event} included (§2.7). */
    static long driverAreaBytes(int size) {
        return 6 + 2L * size;
    }

    /** The used ring's size in bytes, {@code avail_event} included (§2.7). */
    static long deviceAreaBytes(int size) {
        return 6 + 8L * size;
    }

    int index() {
        return index;
    }

    /**
     * The next chain the driver made available, or null if it has made none
     * since the last (§2.7.13). With VIRTIO_F_EVENT_IDX the device, finding
     * the ring empty, publishes in {@code avail_event} the index it waits for
     * and looks once more, so a buffer the driver added meanwhile without
     * notifying is not missed (§2.7.10).
     *
     * @throws VirtqueueException if {@code avail->idx} ran more than the queue
     *         size ahead, or the chain breaks a rule of §2.7.5
     */
    DescriptorChain next() {
        int availIdx = dma.u16(driverArea + 2, "queue " + index + " avail idx");
        if (availIdx == lastAvail && eventIndex) {
            dma.putU16(deviceArea + 4 + 8L * size, lastAvail, "queue " + index + " avail_event");
            VarHandle.fullFence();
            availIdx = dma.u16(driverArea + 2, "queue " + index + " avail idx");
        }
        if (availIdx == lastAvail) {
            return null;
        }
        int outstanding = (availIdx - lastAvail) & 0xFFFF;
        if (outstanding > size) {
            throw new VirtqueueException("queue " + index + ": avail idx " + availIdx + " is " + outstanding
                    + " entries ahead of the device's " + lastAvail + ", more than the queue size " + size
                    + " (virtio 1.2 §2.7.6)");
        }
        VarHandle.acquireFence();
        int head = dma.u16(driverArea + 4 + 2L * (lastAvail & (size - 1)), "queue " + index + " avail ring");
        lastAvail = (lastAvail + 1) & 0xFFFF;
        return chain(head);
    }

    /**
     * Returns chain {@code head} to the driver with {@code written} bytes
     * written into its device-writable buffers (§2.7.8: id and len before
     * idx), and tells whether the driver wants a used-buffer notification
     * for it (§2.7.7).
     */
    boolean putUsed(int head, long written) {
        int old = usedIdx;
        long element = deviceArea + 4 + 8L * (usedIdx & (size - 1));
        dma.putU32(element, head, "queue " + index + " used ring");
        dma.putU32(element + 4, written, "queue " + index + " used ring");
        usedIdx = (usedIdx + 1) & 0xFFFF;
        VarHandle.releaseFence();
        dma.putU16(deviceArea + 2, usedIdx, "queue " + index + " used idx");
        VarHandle.fullFence();
        if (eventIndex) {
            int usedEvent = dma.u16(driverArea + 4 + 2L * size, "queue " + index + " used_event");
            // vring_need_event: notify when used idx steps past used_event (§2.7.7.1).
            return ((usedIdx - usedEvent - 1) & 0xFFFF) < ((usedIdx - old) & 0xFFFF);
        }
        return (dma.u16(driverArea, "queue " + index + " avail flags") & AVAIL_F_NO_INTERRUPT) == 0;
    }

    /** Walks chain {@code head}: table descriptors, then at most one indirect table (§2.7.5.3.2). */
    private DescriptorChain chain(int head) {
        String where = "queue " + index + " chain " + head;
        if (head >= size) {
            throw new VirtqueueException(where + ": head " + head + " is not below the queue size " + size
                    + " (virtio 1.2 §2.7.6)");
        }
        List<DescriptorChain.Buffer> readable = new ArrayList<>();
        List<DescriptorChain.Buffer> writable = new ArrayList<>();
        long table = descriptors;
        long tableEntries = size;
        boolean inIndirectTable = false;
        long total = 0;
        int visited = 0;
        int i = head;
        while (true) {
            if (++visited > tableEntries) {
                throw new VirtqueueException(where + ": more than " + tableEntries + " descriptors"
                        + (inIndirectTable ? " in its indirect table" : "") + ": a loop or a chain longer than the"
                        + " queue size (virtio 1.2 §2.7.5.2)");
            }
            long at = table + (long) DESCRIPTOR_SIZE * i;
            long address = dma.u64(at, where + " descriptor " + i);
            long length = dma.u32(at + 8, where + " descriptor " + i);
            int flags = dma.u16(at + 12, where + " descriptor " + i);
            int next = dma.u16(at + 14, where + " descriptor " + i);
            if ((flags & DESC_F_INDIRECT) != 0) {
                checkIndirect(where, i, flags, length, inIndirectTable);
                dma.check(address, length, where + " indirect table");
                table = address;
                tableEntries = Math.min(length / DESCRIPTOR_SIZE, MAX_SIZE);
                inIndirectTable = true;
                visited = 0;
                i = 0;
                continue;
            }
            dma.check(address, length, where + " buffer " + i);
            total += length;
            if (total > MAX_CHAIN_BYTES) {
                throw new VirtqueueException(where + ": buffers total " + total + " bytes, 2^32 or more"
                        + " (virtio 1.2 §2.7.5.2)");
            }
            if ((flags & DESC_F_WRITE) != 0) {
                writable.add(new DescriptorChain.Buffer(address, length));
            } else if (!writable.isEmpty()) {
                throw new VirtqueueException(where + ": device-readable descriptor " + i
                        + " after a device-writable one (virtio 1.2 §2.7.4)");
            } else {
                readable.add(new DescriptorChain.Buffer(address, length));
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return new DescriptorChain(head, readable, writable);
            }
            if (next >= tableEntries) {
                throw new VirtqueueException(where + ": descriptor " + i + " continues at " + next + ", beyond the "
                        + tableEntries + (inIndirectTable ? " entries of its indirect table" : " of the queue")
                        + " (virtio 1.2 §2.7.5)");
            }
            i = next;
        }
    }

    /** The rules of §2.7.5.3.1 for descriptor {@code i}, which has VIRTQ_DESC_F_INDIRECT. */
    private void checkIndirect(String where, int i, int flags, long length, boolean inIndirectTable) {
        String reason = null;
        if (!indirect) {
            reason = "VIRTQ_DESC_F_INDIRECT without VIRTIO_F_INDIRECT_DESC negotiated";
        } else if (inIndirectTable) {
            reason = "VIRTQ_DESC_F_INDIRECT inside an indirect table";
        } else if ((flags & DESC_F_NEXT) != 0) {
            reason = "both VIRTQ_DESC_F_INDIRECT and VIRTQ_DESC_F_NEXT";
        } else if (length == 0 || length % DESCRIPTOR_SIZE != 0) {
            reason = "an indirect table of " + length + " bytes, not a positive multiple of " + DESCRIPTOR_SIZE;
        }
        if (reason != null) {
            throw new VirtqueueException(where + ": descriptor " + i + " has " + reason + " (virtio 1.2 §2.7.5.3.1)");
        }
    }
}

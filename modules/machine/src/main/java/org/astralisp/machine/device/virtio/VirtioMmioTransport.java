package org.astralisp.machine.device.virtio;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * The virtio-mmio transport, version 2 ("modern"; virtio 1.2 §4.2), in one
 * 4 KiB slot of a board: the control registers of §4.2.2 in front of a
 * {@link VirtioDevice}, the device status state machine (§2.1, §3.1), feature
 * negotiation (§2.2), split virtqueues in guest RAM (§2.7) and the level
 * interrupt line of §4.2.3.4.
 *
 * <p>Registers are little-endian 32-bit words at 4-byte-aligned offsets below
 * 0x100 (§4.2.2.2); any other width or alignment, an offset that is no
 * register, a read of a write-only or a write of a read-only register, and any
 * access to the configuration space at 0x100 (neither the entropy device nor
 * an empty slot has one) are machine checks, as for the UART and the RTC
 * (docs/virtio.md lists them). Driver errors that the register interface can
 * express otherwise are not machine checks but what the specification
 * provides: DEVICE_NEEDS_RESET (§2.1.2), a refused FEATURES_OK (§3.1.1), or an
 * ignored write.
 *
 * <p>Requests are served on the machine's {@link VirtioWorker}: a QueueNotify
 * write only queues the virtqueue there (once, however many notifications
 * arrive meanwhile) and returns. The worker takes a chain under this object's
 * monitor, lets the device produce its reply with no lock held, and under the
 * monitor again writes the reply and the used element, unless the device was
 * reset or the queue stopped meanwhile (then the request is dropped and
 * nothing is written after the reset). Used-buffer notification sets
 * InterruptStatus bit 0; the line is asserted exactly while InterruptStatus
 * is not 0, and InterruptACK clears bits.
 *
 * <p>Locking: all state but each queue's "scheduled" flag is guarded by this
 * object's monitor, entered by vCPU threads (registers) and the worker; the
 * line is raised or lowered under it (lock order: transport, then interrupt
 * controller, as for the UART). The worker is never waited for under it.
 */
public final class VirtioMmioTransport implements MmioDevice {

    /** The register window of one slot. */
    public static final long SIZE = 0x1000;

    /** §4.2.2: "virt" in little-endian. */
    static final int MAGIC = 0x7472_6976;
    static final int VERSION = 2;
    /** "ASTR" in little-endian: the machine's vendor ID. */
    static final int VENDOR = 0x5254_5341;

    static final int MAGIC_VALUE = 0x000;
    static final int VERSION_REGISTER = 0x004;
    static final int DEVICE_ID = 0x008;
    static final int VENDOR_ID = 0x00C;
    static final int DEVICE_FEATURES = 0x010;
    static final int DEVICE_FEATURES_SEL = 0x014;
    static final int DRIVER_FEATURES = 0x020;
    static final int DRIVER_FEATURES_SEL = 0x024;
    static final int QUEUE_SEL = 0x030;
    static final int QUEUE_NUM_MAX = 0x034;
    static final int QUEUE_NUM = 0x038;
    static final int QUEUE_READY = 0x044;
    static final int QUEUE_NOTIFY = 0x050;
    static final int INTERRUPT_STATUS = 0x060;
    static final int INTERRUPT_ACK = 0x064;
    static final int STATUS = 0x070;
    static final int QUEUE_DESC_LOW = 0x080;
    static final int QUEUE_DESC_HIGH = 0x084;
    static final int QUEUE_DRIVER_LOW = 0x090;
    static final int QUEUE_DRIVER_HIGH = 0x094;
    static final int QUEUE_DEVICE_LOW = 0x0A0;
    static final int QUEUE_DEVICE_HIGH = 0x0A4;
    static final int SHM_SEL = 0x0AC;
    static final int SHM_LEN_LOW = 0x0B0;
    static final int SHM_LEN_HIGH = 0x0B4;
    static final int SHM_BASE_LOW = 0x0B8;
    static final int SHM_BASE_HIGH = 0x0BC;
    static final int QUEUE_RESET = 0x0C0;
    static final int CONFIG_GENERATION = 0x0FC;
    static final int CONFIG = 0x100;

    /** §2.1 device status bits. */
    static final int ACKNOWLEDGE = 1;
    static final int DRIVER = 2;
    static final int DRIVER_OK = 4;
    static final int FEATURES_OK = 8;
    static final int DEVICE_NEEDS_RESET = 64;
    static final int FAILED = 128;
    private static final int DRIVER_STATUS_BITS = ACKNOWLEDGE | DRIVER | DRIVER_OK | FEATURES_OK | FAILED;

    /** §4.2.2 InterruptStatus bits. */
    static final int USED_BUFFER_NOTIFICATION = 1;
    static final int CONFIGURATION_CHANGE_NOTIFICATION = 2;

    /** §2.2 / §6: transport feature bits this transport offers. */
    static final long F_INDIRECT_DESC = 1L << 28;
    static final long F_EVENT_IDX = 1L << 29;
    static final long F_VERSION_1 = 1L << 32;

    private static final int DESC_WRITTEN = 1;
    private static final int DRIVER_WRITTEN = 2;
    private static final int DEVICE_WRITTEN = 4;
    private static final int ALL_AREAS_WRITTEN = DESC_WRITTEN | DRIVER_WRITTEN | DEVICE_WRITTEN;

    private static final System.Logger LOG = System.getLogger(VirtioMmioTransport.class.getName());

    private final String name;
    private final VirtioDevice device;
    private final Dma dma;
    private final IrqLine irq;
    private final VirtioWorker worker;
    private final long offered;
    private final QueueState[] queues;

    private int status;
    private long deviceFeaturesSel;
    private long driverFeaturesSel;
    private long driverFeatures;
    private boolean driverAcceptedBeyondBit63;
    private long queueSel;
    private int interruptStatus;
    private boolean lineAsserted;
    private String lastError;
    private int modelFailures;

    /** One virtqueue's registers and, while it is ready, its ring. */
    private static final class QueueState {
        final int index;
        /** Set while a drain task for this queue is queued on the worker and has not started. */
        final AtomicBoolean scheduled = new AtomicBoolean();
        long num;
        long descriptors;
        long driverArea;
        long deviceArea;
        int areasWritten;
        /** Non-null exactly while QueueReady is 1. */
        Virtqueue ring;

        QueueState(int index, int num) {
            this.index = index;
            this.num = num;
        }
    }

    /** A chain taken from {@code ring}, being served. */
    private record Request(QueueState queue, Virtqueue ring, DescriptorChain chain) {
    }

    /**
     * A transport named {@code name} ({@code virtio-mmio0}) presenting
     * {@code device}, reaching guest RAM through {@code memory}, driving the
     * level line {@code irq} and serving its queues on {@code worker}.
     */
    public VirtioMmioTransport(String name, VirtioDevice device, PhysicalMemory memory, IrqLine irq,
            VirtioWorker worker) {
        this.name = Objects.requireNonNull(name, "name");
        this.device = Objects.requireNonNull(device, "device");
        this.dma = new Dma(memory);
        this.irq = Objects.requireNonNull(irq, "irq");
        this.worker = Objects.requireNonNull(worker, "worker");
        this.offered = F_VERSION_1 | F_INDIRECT_DESC | F_EVENT_IDX | device.features();
        this.queues = new QueueState[device.queues()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueState(i, device.queueSizeMax());
        }
    }

    /** An empty slot: device ID 0, which drivers ignore (§4.2.3.1.1). */
    public static VirtioMmioTransport emptySlot(String name, PhysicalMemory memory, IrqLine irq, VirtioWorker worker) {
        return new VirtioMmioTransport(name, new AbsentDevice(), memory, irq, worker);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkAccess(false, offset, width);
        QueueState queue = selectedQueue();
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION_REGISTER -> VERSION;
            case DEVICE_ID -> device.deviceId();
            case VENDOR_ID -> Integer.toUnsignedLong(VENDOR);
            case DEVICE_FEATURES -> featureWord(offered, deviceFeaturesSel);
            case QUEUE_NUM_MAX -> queue == null ? 0 : device.queueSizeMax();
            case QUEUE_READY -> queue != null && queue.ring != null ? 1 : 0;
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> status;
            // §4.2.2: a shared memory region that does not exist has length and base -1; this device has none.
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> 0xFFFF_FFFFL;
            // The device has no configuration space, so it never changes (§4.2.2, §2.5.1).
            case CONFIG_GENERATION -> 0;
            case DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM, QUEUE_NOTIFY,
                    INTERRUPT_ACK, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                    QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, SHM_SEL ->
                throw RegisterFaults.writeOnly(name, offset, width, registerName((int) offset));
            default -> throw unimplemented(false, offset, width);
        };
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkAccess(true, offset, width);
        long word = value & 0xFFFF_FFFFL;
        QueueState queue = selectedQueue();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = word;
            case DRIVER_FEATURES -> acceptFeatures(word);
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = word;
            case QUEUE_SEL -> queueSel = word;
            case QUEUE_NUM -> {
                if (configurable(queue)) {
                    queue.num = word;
                }
            }
            case QUEUE_READY -> setReady(queue, (word & 1) != 0);
            case QUEUE_NOTIFY -> notifyQueue(word);
            case INTERRUPT_ACK -> {
                interruptStatus &= (int) ~word;
                updateLine();
            }
            case STATUS -> writeStatus((int) (word & 0xFF));
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                    QUEUE_DEVICE_HIGH -> writeArea(queue, (int) offset, word);
            // No shared memory regions: the selector is kept by no one (§4.2.2).
            case SHM_SEL -> { }
            case MAGIC_VALUE, VERSION_REGISTER, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX,
                    INTERRUPT_STATUS, SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH, CONFIG_GENERATION ->
                throw RegisterFaults.readOnly(name, offset, width, registerName((int) offset));
            default -> throw unimplemented(true, offset, width);
        }
    }

    /** The reason the last DEVICE_NEEDS_RESET was set, or null: for tests and the monitor. */
    synchronized String lastError() {
        return lastError;
    }

    /** How many times the device model itself failed (a bug, logged): for tests and the monitor. */
    synchronized int modelFailures() {
        return modelFailures;
    }

    private void checkAccess(boolean write, long offset, int width) {
        if (offset >= CONFIG) {
            throw RegisterFaults.fault(name, write, offset, width, device.kind()
                    + " has no device-specific configuration space (virtio 1.2 §4.2.2)");
        }
        if (width != 4 || (offset & 3) != 0) {
            throw RegisterFaults.badWidth(name, write, offset, width,
                    "virtio-mmio control registers are aligned 32-bit words (virtio 1.2 §4.2.2.2)");
        }
    }

    private RuntimeException unimplemented(boolean write, long offset, int width) {
        if (offset == QUEUE_RESET) {
            return RegisterFaults.fault(name, write, offset, width,
                    "QueueReset exists only with VIRTIO_F_RING_RESET, which this device does not offer");
        }
        return RegisterFaults.noRegister(name, write, offset, width);
    }

    private static String registerName(int offset) {
        return switch (offset) {
            case MAGIC_VALUE -> "MagicValue";
            case VERSION_REGISTER -> "Version";
            case DEVICE_ID -> "DeviceID";
            case VENDOR_ID -> "VendorID";
            case DEVICE_FEATURES -> "DeviceFeatures";
            case DEVICE_FEATURES_SEL -> "DeviceFeaturesSel";
            case DRIVER_FEATURES -> "DriverFeatures";
            case DRIVER_FEATURES_SEL -> "DriverFeaturesSel";
            case QUEUE_SEL -> "QueueSel";
            case QUEUE_NUM_MAX -> "QueueNumMax";
            case QUEUE_NUM -> "QueueNum";
            case QUEUE_NOTIFY -> "QueueNotify";
            case INTERRUPT_STATUS -> "InterruptStatus";
            case INTERRUPT_ACK -> "InterruptACK";
            case QUEUE_DESC_LOW -> "QueueDescLow";
            case QUEUE_DESC_HIGH -> "QueueDescHigh";
            case QUEUE_DRIVER_LOW -> "QueueDriverLow";
            case QUEUE_DRIVER_HIGH -> "QueueDriverHigh";
            case QUEUE_DEVICE_LOW -> "QueueDeviceLow";
            case QUEUE_DEVICE_HIGH -> "QueueDeviceHigh";
            case SHM_SEL -> "SHMSel";
            case SHM_LEN_LOW -> "SHMLenLow";
            case SHM_LEN_HIGH -> "SHMLenHigh";
            case SHM_BASE_LOW -> "SHMBaseLow";
            case SHM_BASE_HIGH -> "SHMBaseHigh";
            default -> "ConfigGeneration";
        };
    }

    private static long featureWord(long features, long select) {
        if (select == 0) {
            return features & 0xFFFF_FFFFL;
        }
        return select == 1 ? features >>> 32 : 0;
    }

    /** The queue QueueSel names, or null if the device has no such queue (its QueueNumMax reads 0). */
    private QueueState selectedQueue() {
        return queueSel < queues.length ? queues[(int) queueSel] : null;
    }

    /**
     * DriverFeatures: the half DriverFeaturesSel names. After FEATURES_OK the
     * driver may accept nothing new (§3.1.1 step 5): such writes are ignored.
     */
    private void acceptFeatures(long word) {
        if ((status & FEATURES_OK) != 0) {
            return;
        }
        if (driverFeaturesSel == 0) {
            driverFeatures = (driverFeatures & 0xFFFF_FFFF_0000_0000L) | word;
        } else if (driverFeaturesSel == 1) {
            driverFeatures = (driverFeatures & 0xFFFF_FFFFL) | (word << 32);
        } else if (word != 0) {
            driverAcceptedBeyondBit63 = true;
        }
    }

    /**
     * The features the driver accepted are ones offered (§2.2.1) and include
     * VIRTIO_F_VERSION_1, which this modern-only device requires (§6.1): the
     * condition for setting FEATURES_OK (§3.1.1 steps 5–6).
     */
    private boolean featuresAcceptable() {
        return (driverFeatures & ~offered) == 0 && !driverAcceptedBeyondBit63 && (driverFeatures & F_VERSION_1) != 0;
    }

    private boolean negotiated(long feature) {
        return (status & FEATURES_OK) != 0 && (driverFeatures & feature) != 0;
    }

    /**
     * Status (§2.1, §3.1.1, §4.2.2). 0 resets the device (§2.4). Otherwise the
     * driver only adds bits, in the order of §3.1.1: ACKNOWLEDGE, DRIVER,
     * FEATURES_OK, DRIVER_OK (several in one write count in that order);
     * FAILED at any time. FEATURES_OK is refused (left clear, for the driver
     * to read back) unless the accepted features are acceptable. Clearing a
     * bit (§2.1.1) or skipping a step is a driver error: DEVICE_NEEDS_RESET,
     * which only the device sets and only a reset clears; while it is set only
     * FAILED is taken.
     */
    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int requested = value & DRIVER_STATUS_BITS;
        int cleared = status & DRIVER_STATUS_BITS & ~requested;
        if (cleared != 0) {
            driverError("status write 0x" + Integer.toHexString(value) + " clears bits 0x"
                    + Integer.toHexString(cleared) + " (virtio 1.2 §2.1.1: only a reset, status 0, clears them)");
            return;
        }
        int adding = requested & ~status;
        if ((status & DEVICE_NEEDS_RESET) != 0) {
            status |= adding & FAILED;
            return;
        }
        int next = status | (adding & (ACKNOWLEDGE | DRIVER | FAILED));
        if ((next & DRIVER) != 0 && (next & ACKNOWLEDGE) == 0) {
            driverError("DRIVER set without ACKNOWLEDGE (virtio 1.2 §3.1.1 steps 2-3)");
            return;
        }
        if ((adding & FEATURES_OK) != 0) {
            if ((next & DRIVER) == 0) {
                driverError("FEATURES_OK set without DRIVER (virtio 1.2 §3.1.1 steps 3-5)");
                return;
            }
            if (featuresAcceptable()) {
                next |= FEATURES_OK;
            }
        }
        boolean goingLive = false;
        if ((adding & DRIVER_OK) != 0) {
            if ((next & FEATURES_OK) == 0) {
                status = next;
                driverError("DRIVER_OK set without FEATURES_OK (virtio 1.2 §3.1.1 steps 5-8)");
                return;
            }
            next |= DRIVER_OK;
            goingLive = true;
        }
        status = next;
        if (goingLive) {
            // Buffers made available before DRIVER_OK are served now (§2.1.2: not before).
            for (QueueState queue : queues) {
                if (queue.ring != null) {
                    schedule(queue);
                }
            }
        }
    }

    /**
     * §2.4, §4.2.2.1: every register to its initial value, every queue not
     * ready, InterruptStatus 0 (the line goes low). Requests being served are
     * dropped when they come back.
     */
    private void reset() {
        status = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = 0;
        driverAcceptedBeyondBit63 = false;
        queueSel = 0;
        for (QueueState queue : queues) {
            queue.num = device.queueSizeMax();
            queue.descriptors = 0;
            queue.driverArea = 0;
            queue.deviceArea = 0;
            queue.areasWritten = 0;
            queue.ring = null;
        }
        interruptStatus = 0;
        updateLine();
    }

    /**
     * A queue's configuration registers take writes while the queue exists
     * and is not ready; otherwise (§4.2.2.2: the driver MUST NOT) they are
     * ignored, so a live ring never moves under the device.
     */
    private static boolean configurable(QueueState queue) {
        return queue != null && queue.ring == null;
    }

    private void writeArea(QueueState queue, int offset, long word) {
        if (!configurable(queue)) {
            return;
        }
        switch (offset) {
            case QUEUE_DESC_LOW -> queue.descriptors = low(queue.descriptors, word);
            case QUEUE_DESC_HIGH -> queue.descriptors = high(queue.descriptors, word);
            case QUEUE_DRIVER_LOW -> queue.driverArea = low(queue.driverArea, word);
            case QUEUE_DRIVER_HIGH -> queue.driverArea = high(queue.driverArea, word);
            case QUEUE_DEVICE_LOW -> queue.deviceArea = low(queue.deviceArea, word);
            default -> queue.deviceArea = high(queue.deviceArea, word);
        }
        queue.areasWritten |= switch (offset) {
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH -> DESC_WRITTEN;
            case QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH -> DRIVER_WRITTEN;
            default -> DEVICE_WRITTEN;
        };
    }

    private static long low(long address, long word) {
        return (address & 0xFFFF_FFFF_0000_0000L) | word;
    }

    private static long high(long address, long word) {
        return (address & 0xFFFF_FFFFL) | (word << 32);
    }

    /**
     * QueueReady (§4.2.3.2 step 7). 1 makes the queue live if its size and
     * areas are valid; otherwise DEVICE_NEEDS_RESET and it stays not ready.
     * 0 stops it (§4.2.2.2). Ignored for a queue the device does not have.
     */
    private void setReady(QueueState queue, boolean ready) {
        if (queue == null || ready == (queue.ring != null)) {
            return;
        }
        if (!ready) {
            queue.ring = null;
            return;
        }
        String invalid = invalidConfiguration(queue);
        if (invalid != null) {
            driverError("queue " + queue.index + " made ready with " + invalid);
            return;
        }
        int size = (int) queue.num;
        queue.ring = new Virtqueue(queue.index, size, queue.descriptors, queue.driverArea, queue.deviceArea,
                negotiated(F_INDIRECT_DESC), negotiated(F_EVENT_IDX), dma);
        if (live(queue)) {
            schedule(queue);
        }
    }

    /** What is wrong with the queue's size or areas (§2.7's sizes and alignments, §4.2.3.2), or null. */
    private String invalidConfiguration(QueueState queue) {
        long num = queue.num;
        if (num == 0 || num > device.queueSizeMax() || Long.bitCount(num) != 1) {
            return "QueueNum " + num + ", not a power of two from 1 to QueueNumMax " + device.queueSizeMax()
                    + " (virtio 1.2 §2.7, §4.2.2.2)";
        }
        if (queue.areasWritten != ALL_AREAS_WRITTEN) {
            return "QueueDesc, QueueDriver and QueueDevice not all written since reset (virtio 1.2 §4.2.3.2 step 6)";
        }
        int size = (int) num;
        String area = invalidArea("QueueDesc", queue.descriptors, Virtqueue.descriptorTableBytes(size), 16);
        if (area == null) {
            area = invalidArea("QueueDriver", queue.driverArea, Virtqueue.driverAreaBytes(size), 2);
        }
        if (area == null) {
            area = invalidArea("QueueDevice", queue.deviceArea, Virtqueue.deviceAreaBytes(size), 4);
        }
        return area;
    }

    private String invalidArea(String register, long address, long bytes, int alignment) {
        if ((address & (alignment - 1)) != 0) {
            return register + " 0x" + Long.toHexString(address) + ", not aligned to " + alignment
                    + " bytes (virtio 1.2 §2.7)";
        }
        if (!dma.inRam(address, bytes)) {
            return register + " 0x" + Long.toHexString(address) + " (+0x" + Long.toHexString(bytes)
                    + "), not all RAM";
        }
        return null;
    }

    /** Queues are served only after DRIVER_OK (§2.1.2), never in error, and only while ready (§4.2.2.1). */
    private boolean live(QueueState queue) {
        return (status & (DRIVER_OK | DEVICE_NEEDS_RESET | FAILED)) == DRIVER_OK && queue.ring != null;
    }

    /**
     * QueueNotify (§4.2.3.3): the index of a queue with new buffers (without
     * VIRTIO_F_NOTIFICATION_DATA, which is not offered). A queue that is not
     * live ignores it: its buffers are looked at when it goes live.
     */
    private void notifyQueue(long index) {
        if (index < queues.length && live(queues[(int) index])) {
            schedule(queues[(int) index]);
        }
    }

    private void schedule(QueueState queue) {
        if (queue.scheduled.compareAndSet(false, true)) {
            worker.execute(() -> drain(queue));
        }
    }

    /**
     * Worker thread: serves up to a queue's size of requests, then queues
     * itself again if the queue is still live, so one busy queue does not keep
     * the other transports waiting and a task's time is bounded.
     */
    private void drain(QueueState queue) {
        queue.scheduled.set(false);
        try {
            for (int served = 0; served < device.queueSizeMax(); served++) {
                Request request = take(queue);
                if (request == null) {
                    return;
                }
                complete(request, device.serve(queue.index, request.chain()));
            }
            synchronized (this) {
                if (live(queue)) {
                    schedule(queue);
                }
            }
        } catch (RuntimeException e) {
            if (!worker.closing()) {
                modelFailure(e);
            }
            // Otherwise the machine is powering off and RAM is going away under the worker: nothing to serve.
        }
    }

    private synchronized Request take(QueueState queue) {
        if (!live(queue)) {
            return null;
        }
        try {
            DescriptorChain chain = queue.ring.next();
            return chain == null ? null : new Request(queue, queue.ring, chain);
        } catch (VirtqueueException e) {
            driverError(e.getMessage());
            return null;
        }
    }

    /** Writes {@code reply} into the chain's writable buffers and returns the chain (§2.7.8, §2.7.14). */
    private synchronized void complete(Request request, byte[] reply) {
        QueueState queue = request.queue();
        if (queue.ring != request.ring() || !live(queue)) {
            return;
        }
        DescriptorChain chain = request.chain();
        if (reply.length > chain.writableBytes()) {
            throw new IllegalStateException(device.kind() + " returned " + reply.length + " bytes for chain "
                    + chain.head() + " with " + chain.writableBytes() + " writable bytes");
        }
        try {
            int done = 0;
            for (DescriptorChain.Buffer buffer : chain.writable()) {
                int length = (int) Math.min(buffer.length(), reply.length - done);
                if (length == 0) {
                    break;
                }
                dma.write(buffer.address(), reply, done, length, "queue " + queue.index + " buffer");
                done += length;
            }
            if (request.ring().putUsed(chain.head(), reply.length)) {
                interruptStatus |= USED_BUFFER_NOTIFICATION;
                updateLine();
            }
        } catch (VirtqueueException e) {
            driverError(e.getMessage());
        }
    }

    /**
     * §2.1.2: the device needs a reset. If DRIVER_OK is set it sends a
     * configuration change notification. The queues stop until the reset.
     */
    private void driverError(String reason) {
        lastError = reason;
        status |= DEVICE_NEEDS_RESET;
        if ((status & DRIVER_OK) != 0) {
            interruptStatus |= CONFIGURATION_CHANGE_NOTIFICATION;
            updateLine();
        }
    }

    /** A failure of the model itself, not of the driver: logged, and the guest sees a device needing reset. */
    private synchronized void modelFailure(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, name + ": device model failure", e);
        modelFailures++;
        driverError("device model failure: " + e);
    }

    private void updateLine() {
        boolean asserted = interruptStatus != 0;
        if (asserted != lineAsserted) {
            lineAsserted = asserted;
            if (asserted) {
                irq.raise();
            } else {
                irq.lower();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + device.kind() + ")";
    }
}

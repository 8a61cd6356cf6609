package org.astralisp.machine.device.virtio;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The entropy device (virtio 1.2 §5.4): device ID 4, one virtqueue
 * ({@code requestq}, §5.4.2), no feature bits (§5.4.3) and no configuration
 * space (§5.4.4). It fills the device-writable buffers of each request with
 * bytes from the host's {@link SecureRandom} (§5.4.6).
 *
 * <p>A request gets at most {@value #MAX_BYTES_PER_REQUEST} bytes, however
 * large its buffers: §5.4.6.2 lets the device place fewer random bytes than
 * the buffers hold (at least one), and the bound keeps the time the worker
 * spends on one request, and the memory it allocates, small whatever a driver
 * asks. Device-readable buffers (which §5.4.6.1 forbids the driver to place)
 * are ignored, as QEMU does.
 */
public final class EntropyDevice implements VirtioDevice {

    /** virtio 1.2 §5: device ID of the entropy source. */
    public static final int DEVICE_ID = 4;
    /** The most bytes one request receives. */
    public static final int MAX_BYTES_PER_REQUEST = 64 * 1024;
    /** QueueNumMax of {@code requestq}. */
    static final int QUEUE_SIZE_MAX = 256;

    private final Supplier<SecureRandom> source;
    /** Made at the first request, on the worker: a SecureRandom costs ~20 ms to set up, which boot need not pay. */
    private SecureRandom random;

    /** An entropy device drawing on {@code random}. */
    public EntropyDevice(SecureRandom random) {
        this(() -> random);
        Objects.requireNonNull(random, "random");
    }

    /** An entropy device drawing on the SecureRandom {@code source} makes when the first request comes. */
    public EntropyDevice(Supplier<SecureRandom> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public String kind() {
        return "virtio-rng";
    }

    @Override
    public long features() {
        return 0;
    }

    @Override
    public int queues() {
        return 1;
    }

    @Override
    public int queueSizeMax() {
        return QUEUE_SIZE_MAX;
    }

    @Override
    public byte[] serve(int queue, DescriptorChain chain) {
        byte[] bytes = new byte[(int) Math.min(chain.writableBytes(), MAX_BYTES_PER_REQUEST)];
        if (random == null) {
            random = Objects.requireNonNull(source.get(), "the entropy source made no SecureRandom");
        }
        random.nextBytes(bytes);
        return bytes;
    }
}

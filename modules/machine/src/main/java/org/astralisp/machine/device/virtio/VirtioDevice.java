package org.astralisp.machine.device.virtio;

/**
 * A virtio device type behind a {@link VirtioMmioTransport}: what it is, what
 * it offers, and how it serves a request. The transport owns everything
 * common to all devices (status, feature negotiation, queues, notifications,
 * errors, virtio 1.2 §2 and §4.2); the device sees only whole descriptor
 * chains.
 */
public interface VirtioDevice {

    /** The device ID of virtio 1.2 §5 (4 for the entropy device; 0 for an empty slot). */
    int deviceId();

    /** A short name for messages: {@code virtio-rng}. */
    String kind();

    /** The device-type feature bits it offers (bits 0..23, §2.2); the transport adds its own. */
    long features();

    /** How many virtqueues it has. */
    int queues();

    /** QueueNumMax of each of its queues: a power of two, at most 32768 (§2.7). */
    int queueSizeMax();

    /**
     * Serves one request from {@code queue}: the bytes to write into the
     * chain's device-writable buffers, in order, at most
     * {@link DescriptorChain#writableBytes()} of them; their count is the
     * used length (§2.7.8). Called on the machine's virtio worker thread with
     * no lock held, only after DRIVER_OK (§2.1.2); it must return without
     * waiting for the guest and must not throw.
     */
    byte[] serve(int queue, DescriptorChain chain);
}

package org.astralisp.machine.device.virtio;

/**
 * What an empty virtio-mmio slot presents: device ID 0, which virtio 1.2
 * §4.2.3.1.1 tells the driver to ignore without reporting an error ("a
 * placeholder"), no queues (QueueNumMax 0) and no configuration space.
 */
final class AbsentDevice implements VirtioDevice {

    @Override
    public int deviceId() {
        return 0;
    }

    @Override
    public String kind() {
        return "empty slot";
    }

    @Override
    public long features() {
        return 0;
    }

    @Override
    public int queues() {
        return 0;
    }

    @Override
    public int queueSizeMax() {
        return 0;
    }

    /** Never called: there is no queue to take a request from. */
    @Override
    public byte[] serve(int queue, DescriptorChain chain) {
        throw new IllegalStateException("an empty virtio-mmio slot has no queue " + queue);
    }
}

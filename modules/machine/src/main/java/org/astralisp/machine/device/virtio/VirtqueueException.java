package org.astralisp.machine.device.virtio;

/**
 * A driver error found in a virtqueue's memory: a ring index, descriptor or
 * buffer that the split-virtqueue rules (virtio 1.2 §2.7) forbid. The transport
 * answers it by setting DEVICE_NEEDS_RESET (§2.1.2); it never leaves the device
 * model. The message names the offending value and the rule.
 */
final class VirtqueueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    VirtqueueException(String message) {
        super(message);
    }
}

package org.astralisp.machine.devicetree;

import java.nio.ByteBuffer;
import org.astralisp.machine.port.Firmware;

/**
 * The firmware's hand-over to the kernel: a flattened device tree blob,
 * immutable once written.
 */
public final class DeviceTreeBlob implements Firmware {

    private final byte[] blob;

    /** The blob of the tree under {@code root}, booted by CPU {@code bootCpu}. */
    public DeviceTreeBlob(DeviceTreeNode root, int bootCpu) {
        this.blob = FlattenedDeviceTreeWriter.write(root, bootCpu);
    }

    @Override
    public ByteBuffer deviceTree() {
        return ByteBuffer.wrap(blob).asReadOnlyBuffer();
    }
}

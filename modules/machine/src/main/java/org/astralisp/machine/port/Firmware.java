package org.astralisp.machine.port;

import java.nio.ByteBuffer;

/**
 * What the firmware hands the kernel at boot: the flattened device tree
 * (devicetree specification v0.4, big-endian, {@code /chosen/bootargs} holds
 * the boot arguments).
 */
public interface Firmware {

    /** A read-only view of the DTB, positioned at 0. */
    ByteBuffer deviceTree();
}

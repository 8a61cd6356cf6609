package org.astralisp.hal.riscv64.irq;

import java.nio.ByteBuffer;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.DeviceNode;
import org.astralisp.hal.api.devicetree.DevicePropertyException;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.DeviceTreeFormatException;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;

/**
 * What the interrupt drivers read from the device tree: the register window of
 * a controller found by {@code compatible}, and the timer's
 * {@code /cpus/timebase-frequency} (devicetree spec v0.4 §3.7).
 */
final class Platform {

    private final DeviceTree tree;

    private Platform(DeviceTree tree) {
        this.tree = tree;
    }

    static Platform of(ByteBuffer deviceTree) {
        try {
            return new Platform(FlattenedDeviceTree.parse(deviceTree));
        } catch (DeviceTreeFormatException e) {
            throw new IllegalStateException("the firmware's device tree is malformed: " + e.getMessage(), e);
        }
    }

    /** The first {@code reg} range of the first node compatible with {@code compatible}. */
    AddressRange registers(String compatible) {
        try {
            return node(compatible).physicalReg().getFirst();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A number-valued property of the first node compatible with {@code compatible}. */
    long number(String compatible, String property) {
        try {
            return node(compatible).property(property).number();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private DeviceNode node(String compatible) {
        return tree.findCompatible(compatible).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no \"" + compatible + "\" node in the device tree"));
    }

    long timebaseFrequency() {
        DeviceNode cpus = tree.node("/cpus").orElseThrow(() -> new IllegalStateException("no /cpus in the device tree"));
        try {
            return cpus.property("timebase-frequency").number();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

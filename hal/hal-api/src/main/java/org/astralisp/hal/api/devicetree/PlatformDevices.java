package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;

/**
 * What a HAL driver reads from the firmware's device tree to find its
 * controller: the register window of the first node with a given
 * {@code compatible}, a number property of it, the number of CPUs, and
 * {@code /cpus/timebase-frequency} (devicetree spec v0.4 §3.7). A tree that lacks
 * what a driver needs is the machine's fault, not the driver's: every miss is an
 * {@link IllegalStateException} whose message names the node or property, which
 * is what Declarative Services reports when the driver's activation fails.
 */
public final class PlatformDevices {

    private final DeviceTree tree;

    public PlatformDevices(DeviceTree tree) {
        this.tree = tree;
    }

    /** Parses the firmware's blob; a malformed one is an {@link IllegalStateException}. */
    public static PlatformDevices of(ByteBuffer deviceTree) {
        try {
            return new PlatformDevices(FlattenedDeviceTree.parse(deviceTree));
        } catch (DeviceTreeFormatException e) {
            throw new IllegalStateException("the firmware's device tree is malformed: " + e.getMessage(), e);
        }
    }

    /** The first {@code reg} range of the first node compatible with {@code compatible}. */
    public AddressRange registers(String compatible) {
        try {
            return node(compatible).physicalReg().getFirst();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A number-valued property of the first node compatible with {@code compatible}. */
    public long number(String compatible, String property) {
        try {
            return node(compatible).property(property).number();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The {@code cpu} nodes under {@code /cpus}. */
    public int cpus() {
        return (int) cpusNode().children().stream().filter(child -> child.baseName().equals("cpu")).count();
    }

    /** {@code /cpus/timebase-frequency}, in Hz. */
    public long timebaseFrequency() {
        try {
            return cpusNode().property("timebase-frequency").number();
        } catch (DevicePropertyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private DeviceNode node(String compatible) {
        return tree.findCompatible(compatible).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no \"" + compatible + "\" node in the device tree"));
    }

    private DeviceNode cpusNode() {
        return tree.node("/cpus").orElseThrow(() -> new IllegalStateException("no /cpus in the device tree"));
    }
}

package org.astralisp.kernel.testing;

import java.nio.ByteBuffer;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.DeviceTreeFormatException;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Firmware;

/** Real machines for the kernel's tests: one CPU, 128 MiB of RAM. */
public final class Machines {

    public static final long RAM = 128L << 20;

    private Machines() {
    }

    public static Machine create(Architecture architecture) {
        return Machine.create(new MachineConfig(architecture, 1, RAM, ""));
    }

    public static DeviceTree deviceTree(Machine machine) throws DeviceTreeFormatException {
        return FlattenedDeviceTree.parse(machine.firmware().deviceTree());
    }

    /** The base page size each machine's MMU uses (ARCHITECTURE §2). */
    public static int pageSize(Architecture architecture) {
        return architecture == Architecture.PPC64 ? 65536 : 4096;
    }

    /** Firmware whose blob is {@code blob}, as a machine would hand it over: read-only at position 0. */
    public static Firmware firmware(byte[] blob) {
        return () -> ByteBuffer.wrap(blob.clone()).asReadOnlyBuffer();
    }

    /** A test resource's bytes. */
    public static byte[] resource(Class<?> near, String name) {
        try (var in = java.util.Objects.requireNonNull(near.getResourceAsStream(name), name)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

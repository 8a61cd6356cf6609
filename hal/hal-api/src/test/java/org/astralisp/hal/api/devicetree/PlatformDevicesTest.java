package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PlatformDevicesTest {

    private static PlatformDevices riscv() throws DeviceTreeFormatException {
        return new PlatformDevices(ReferenceBlobs.tree("riscv64-virt"));
    }

    @Test
    void findsAControllersRegistersByCompatible() throws DeviceTreeFormatException {
        AddressRange plic = riscv().registers("riscv,plic0");
        assertEquals(0x0C00_0000L, plic.address());
        assertTrue(plic.size() > 0);
    }

    @Test
    void readsNumbersCpusAndTheTimebase() throws DeviceTreeFormatException {
        PlatformDevices devices = riscv();
        assertTrue(devices.number("riscv,plic0", "riscv,ndev") > 0);
        assertEquals(2, devices.cpus());
        assertEquals(10_000_000L, devices.timebaseFrequency());
    }

    @Test
    void aMissingNodeOrPropertyIsNamed() throws DeviceTreeFormatException {
        PlatformDevices devices = riscv();
        assertEquals("no \"astralisp,xive\" node in the device tree",
                assertThrows(IllegalStateException.class, () -> devices.registers("astralisp,xive")).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> devices.number("riscv,plic0", "no-such"))
                .getMessage().contains("no-such"));
    }

    @Test
    void aMalformedBlobIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PlatformDevices.of(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})));
        assertTrue(e.getMessage().startsWith("the firmware's device tree is malformed: "), e.getMessage());
    }
}

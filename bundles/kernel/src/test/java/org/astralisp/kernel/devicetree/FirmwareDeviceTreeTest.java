package org.astralisp.kernel.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.ByteBuffer;
import java.util.List;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class FirmwareDeviceTreeTest {

    @SuppressWarnings("unchecked")
    private final ServiceRegistration<DeviceTree> registration = mock(ServiceRegistration.class);
    private final BundleContext context = mock(BundleContext.class);

    FirmwareDeviceTreeTest() {
        when(context.registerService(eq(DeviceTree.class), any(DeviceTree.class), any())).thenReturn(registration);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void registersTheTreeOfEachMachine(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            new FirmwareDeviceTree(machine.firmware(), context);

            ArgumentCaptor<DeviceTree> tree = ArgumentCaptor.forClass(DeviceTree.class);
            verify(context).registerService(eq(DeviceTree.class), tree.capture(), any());
            assertEquals(List.of(new AddressRange(machine.memory().base(), machine.memory().size())),
                    tree.getValue().memory());
            assertEquals(1, tree.getValue().findCompatible("ns16550a").size());
        }
    }

    @Test
    void deactivationUnregistersTheTree() {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            new FirmwareDeviceTree(machine.firmware(), context).deactivate();

            verify(registration).unregister();
        }
    }

    @Test
    void refusesABlobWithFlippedMagicLoggingTheParsersMessageWithoutAStackTrace() {
        byte[] blob = blobOf(Architecture.RISCV64);
        blob[0] ^= (byte) 0xff;
        try (KernelLog log = KernelLog.of(FirmwareDeviceTree.class)) {
            new FirmwareDeviceTree(Machines.firmware(blob), context).deactivate();

            verifyNoInteractions(context);
            ILoggingEvent error = log.events().getLast();
            assertEquals(Level.ERROR, error.getLevel());
            assertEquals("firmware device tree refused, no devices: offset 0x0: bad magic 0x2f0dfeed "
                    + "(expected 0xd00dfeed)", error.getFormattedMessage());
            assertNull(error.getThrowableProxy());
        }
    }

    @Test
    void refusesATruncatedBlobNamingTheSizeItClaims() {
        byte[] whole = blobOf(Architecture.X86_64);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 8);
        try (KernelLog log = KernelLog.of(FirmwareDeviceTree.class)) {
            new FirmwareDeviceTree(Machines.firmware(truncated), context);

            verifyNoInteractions(context);
            assertEquals("firmware device tree refused, no devices: offset 0x4: totalsize 0x%x exceeds the 0x%x bytes "
                    .formatted(whole.length, truncated.length) + "available", log.events().getLast().getFormattedMessage());
        }
    }

    private static byte[] blobOf(Architecture architecture) {
        try (Machine machine = Machines.create(architecture)) {
            ByteBuffer dtb = machine.firmware().deviceTree();
            byte[] blob = new byte[dtb.remaining()];
            dtb.get(blob);
            return blob;
        }
    }
}

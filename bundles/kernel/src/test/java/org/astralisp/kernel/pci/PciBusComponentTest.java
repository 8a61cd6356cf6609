package org.astralisp.kernel.pci;

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
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.hal.api.pci.PciAddress;
import org.astralisp.hal.api.pci.PciBus;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class PciBusComponentTest {

    @SuppressWarnings("unchecked")
    private final ServiceRegistration<PciBus> registration = mock(ServiceRegistration.class);
    private final BundleContext context = mock(BundleContext.class);

    PciBusComponentTest() {
        when(context.registerService(eq(PciBus.class), any(PciBus.class), any())).thenReturn(registration);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void registersTheEnumeratedBusOfEachMachine(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture); KernelLog log = KernelLog.of(PciBusComponent.class)) {
            new PciBusComponent(Machines.deviceTree(machine), machine.mmio(), context);

            ArgumentCaptor<PciBus> bus = ArgumentCaptor.forClass(PciBus.class);
            verify(context).registerService(eq(PciBus.class), bus.capture(), any());
            assertEquals(List.of(PciAddress.parse("00:00.0"), PciAddress.parse("00:01.0")),
                    bus.getValue().devices().stream().map(d -> d.address()).toList());
            assertEquals(true, bus.getValue().device(PciAddress.parse("00:01.0")).orElseThrow().memoryEnabled());
            assertEquals("pci: 2 functions", log.events().getLast().getFormattedMessage());
        }
    }

    @Test
    void deactivationUnregistersTheBus() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            new PciBusComponent(Machines.deviceTree(machine), machine.mmio(), context).deactivate();

            verify(registration).unregister();
        }
    }

    @Test
    void aHostBridgeWithoutRangesRegistersNothingAndLogsWhyWithoutAStackTrace() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64);
                KernelLog log = KernelLog.of(PciBusComponent.class)) {
            DeviceTreeNode root = DeviceTreeNode.root().cells("#address-cells", 2).cells("#size-cells", 2);
            root.addChild("pci@30000000").string("compatible", "pci-host-ecam-generic")
                    .cells("reg", 0, 0x3000_0000, 0, 0x1000_0000).cells("#address-cells", 3).cells("#size-cells", 2);
            DeviceTree tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));

            new PciBusComponent(tree, machine.mmio(), context).deactivate();

            verifyNoInteractions(context);
            ILoggingEvent error = log.events().getLast();
            assertEquals(Level.ERROR, error.getLevel());
            assertEquals("no PCI bus: /pci@30000000: ranges: missing: the host bridge maps no memory window",
                    error.getFormattedMessage());
            assertNull(error.getThrowableProxy());
        }
    }

    @Test
    void anEcamWhereNoDeviceIsIsAMachineCheckLoggedAsAnError() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64);
                KernelLog log = KernelLog.of(PciBusComponent.class)) {
            DeviceTreeNode root = DeviceTreeNode.root().cells("#address-cells", 2).cells("#size-cells", 2);
            root.addChild("pci@50000000").string("compatible", "pci-host-ecam-generic")
                    .cells("reg", 0, 0x5000_0000, 0, 0x10_0000).cells("bus-range", 0, 0)
                    .cells("#address-cells", 3).cells("#size-cells", 2)
                    .cells("ranges", 0x0200_0000, 0, 0x4000_0000, 0, 0x4000_0000, 0, 0x4000_0000);
            DeviceTree tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));

            new PciBusComponent(tree, machine.mmio(), context);

            verifyNoInteractions(context);
            assertEquals("no PCI bus: cannot map 0x50000000: no device decodes that address",
                    log.events().getLast().getFormattedMessage());
        }
    }

    @Test
    void aFunctionLeftDisabledIsAWarning() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64);
                KernelLog log = KernelLog.of(PciBusComponent.class)) {
            DeviceTreeNode root = DeviceTreeNode.root().cells("#address-cells", 2).cells("#size-cells", 2);
            root.addChild("pci@30000000").string("compatible", "pci-host-ecam-generic")
                    .cells("reg", 0, 0x3000_0000, 0, 0x10_0000).cells("bus-range", 0, 0)
                    .cells("#address-cells", 3).cells("#size-cells", 2).cells("#interrupt-cells", 1)
                    .cells("ranges", 0x0200_0000, 0, 0x4000_0000, 0, 0x4000_0000, 0, 0x1000)
                    .cells("interrupt-map-mask", 0, 0, 0, 0)
                    .cells("interrupt-map", 0, 0, 0, 0, 1, 33);
            root.addChild("interrupt-controller").flag("interrupt-controller").cells("#interrupt-cells", 1)
                    .cells("#address-cells", 0).cells("phandle", 1);
            DeviceTree tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));

            new PciBusComponent(tree, machine.mmio(), context);

            verify(context).registerService(eq(PciBus.class), any(PciBus.class), any());
            ILoggingEvent warning = log.events().getLast();
            assertEquals(Level.WARN, warning.getLevel());
            assertEquals("pci 00:01.0: its BARs (1M in all) do not fit in the 32-bit memory window "
                    + "[0x40000000, 0x40001000) beside the other functions: memory decoding left off",
                    warning.getFormattedMessage());
        }
    }
}

package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queries the HAL and drivers make of each machine's tree, on reference
 * trees laid out as modules/machine generates them (docs/devicetree.md).
 */
class MachineBindingsTest {

    private static DeviceNode only(List<DeviceNode> nodes) {
        assertEquals(1, nodes.size(), nodes.toString());
        return nodes.getFirst();
    }

    private static InterruptSpecifier on(DeviceNode controller, Integer... cells) {
        return new InterruptSpecifier(controller, List.of(cells));
    }

    /** PCI address {@code phys.hi} of device {@code device} on bus 0, function 0. */
    private static BusAddress pciDevice(int device) {
        return BusAddress.of(device << 11, 0, 0);
    }

    @Test
    void riscv64PlicAndClintReachEveryHartThroughItsLocalController() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("riscv64-virt");
        DeviceNode plic = only(tree.findCompatible("sifive,plic-1.0.0", "riscv,plic0"));
        DeviceNode clint = only(tree.findCompatible("riscv,clint0"));
        DeviceNode hart0 = tree.node("/cpus/cpu@0/interrupt-controller").orElseThrow();
        DeviceNode hart1 = tree.node("/cpus/cpu@1/interrupt-controller").orElseThrow();
        assertEquals(List.of(new AddressRange(0xc00_0000L, 0x20_4000)), plic.physicalReg());
        assertEquals(95, plic.property("riscv,ndev").u32());
        assertEquals(1, plic.interruptCells());
        assertEquals(List.of(on(hart0, 11), on(hart0, 9), on(hart1, 11), on(hart1, 9)), plic.interrupts());
        assertEquals(List.of(on(hart0, 3), on(hart0, 7), on(hart1, 3), on(hart1, 7)), clint.interrupts());
        assertEquals(List.of(new AddressRange(0x200_0000L, 0x1_0000)), clint.physicalReg());
        assertEquals(10_000_000L, tree.node("/cpus").orElseThrow().property("timebase-frequency").number());
    }

    @Test
    void riscv64DevicesNameThePlicAsInterruptParent() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("riscv64-virt");
        DeviceNode plic = only(tree.findCompatible("riscv,plic0"));
        DeviceNode uart = only(tree.findCompatible("ns16550a"));
        assertSame(plic, uart.interruptParent());
        assertEquals(List.of(new AddressRange(0x1000_0000L, 0x100)), uart.physicalReg());
        assertEquals(List.of(on(plic, 10)), uart.interrupts());
        assertEquals(3_686_400L, uart.property("clock-frequency").number());
        assertEquals(List.of(on(plic, 11)), only(tree.findCompatible("google,goldfish-rtc")).interrupts());
        List<DeviceNode> slots = tree.findCompatible("virtio,mmio");
        assertEquals(List.of(on(plic, 1)), slots.get(0).interrupts());
        assertEquals(List.of(on(plic, 2)), slots.get(1).interrupts());
    }

    @Test
    void chosenNamesTheConsoleByPath() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("riscv64-virt");
        DeviceNode chosen = tree.node("/chosen").orElseThrow();
        assertEquals("console=ttyS0", chosen.property("bootargs").string());
        assertSame(only(tree.findCompatible("ns16550a")),
                tree.node(chosen.property("stdout-path").string()).orElseThrow());
    }

    @Test
    void riscv64PciIntxPinsReachThePlicSwizzled() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("riscv64-virt");
        DeviceNode plic = only(tree.findCompatible("riscv,plic0"));
        DeviceNode bridge = only(tree.findCompatible("pci-host-ecam-generic"));
        assertEquals(on(plic, 32), bridge.mapInterrupt(pciDevice(0), List.of(1)));
        assertEquals(on(plic, 34), bridge.mapInterrupt(pciDevice(1), List.of(2)));
        assertEquals(on(plic, 32), bridge.mapInterrupt(pciDevice(3), List.of(2)));
        assertEquals(on(plic, 33), bridge.mapInterrupt(pciDevice(4), List.of(2)));
        assertEquals(List.of(new AddressRange(0x3000_0000L, 0x1000_0000L)), bridge.physicalReg());
        assertEquals(0x4000_0000L, bridge.translateToPhysical(BusAddress.of(0x0200_0000, 0, 0x4000_0000)));
    }

    @Test
    void x86_64DevicesUseTheIoApicsTwoCellSpecifier() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("x86_64-virt");
        DeviceNode ioapic = only(tree.findCompatible("intel,ce4100-ioapic"));
        DeviceNode lapic = only(tree.findCompatible("intel,ce4100-lapic"));
        assertEquals(List.of(new AddressRange(0xfee0_0000L, 0x1000)), lapic.physicalReg());
        assertEquals(List.of(new AddressRange(0xfec0_0000L, 0x20)), ioapic.physicalReg());
        assertEquals(2, ioapic.interruptCells());
        assertEquals(List.of(on(ioapic, 4, 2)), only(tree.findCompatible("ns16550a")).interrupts());
        assertEquals(List.of(on(ioapic, 5, 2)), tree.findCompatible("virtio,mmio").getFirst().interrupts());
        DeviceNode bridge = only(tree.findCompatible("pci-host-ecam-generic"));
        assertEquals(on(ioapic, 18, 1), bridge.mapInterrupt(pciDevice(3), List.of(4)));
        assertEquals(List.of(new RegEntry(BusAddress.of(1), 0)), tree.node("/cpus/cpu@1").orElseThrow().reg());
    }

    @Test
    void ppc64DevicesUseTheXiveAndThePciWindowIsTranslated() throws Exception {
        DeviceTree tree = ReferenceBlobs.tree("ppc64-virt");
        DeviceNode xive = only(tree.findCompatible("astralisp,xive"));
        assertEquals(List.of(new AddressRange(0x6_0000_0000_0000L, 0x1_2000)), xive.physicalReg());
        assertEquals(List.of(on(xive, 10, 4)), only(tree.findCompatible("ns16550a")).interrupts());
        DeviceNode bridge = only(tree.findCompatible("pci-host-ecam-generic"));
        assertEquals(0x6_0000_8000_1000L, bridge.translateToPhysical(BusAddress.of(0x0200_0000, 0, 0x8000_1000)));
        assertEquals(on(xive, 35, 8), bridge.mapInterrupt(pciDevice(2), List.of(2)));
        assertEquals(512_000_000L, tree.node("/cpus").orElseThrow().property("timebase-frequency").number());
        DeviceNode cpu1 = tree.node("/cpus/cpu@1").orElseThrow();
        assertEquals(1, cpu1.property("ibm,ppc-interrupt-server#s").u32());
        assertEquals(List.of("ibm,power9"), cpu1.compatible());
    }
}

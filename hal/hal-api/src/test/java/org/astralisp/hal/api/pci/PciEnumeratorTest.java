package org.astralisp.hal.api.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The enumerator on the real machines: what it finds, where it puts the BARs, where INTx arrives. */
class PciEnumeratorTest {

    static final PciAddress HOST_BRIDGE = new PciAddress(0, 0, 0);
    static final PciAddress EDU = new PciAddress(0, 1, 0);

    static Machine machine(Architecture architecture) {
        return Machine.create(new MachineConfig(architecture, 1, 64L << 20, ""));
    }

    static DeviceTree tree(Machine machine) throws Exception {
        return FlattenedDeviceTree.parse(machine.firmware().deviceTree());
    }

    @ParameterizedTest
    @CsvSource({
        "X86_64,  0xc0000000, 0xc0000000,      17, /soc/interrupt-controller@fec00000",
        "RISCV64, 0x40000000, 0x40000000,      33, /soc/interrupt-controller@c000000",
        "PPC64,   0x80000000, 0x6000080000000, 33, /soc/interrupt-controller@6000000000000",
    })
    void findsTheHostBridgeAndTheEduDeviceAndConfiguresThem(Architecture architecture, String busText,
            String cpuText, int line, String controller) throws Exception {
        try (Machine machine = machine(architecture)) {
            PciBus bus = PciEnumerator.enumerate(tree(machine), machine.mmio());

            assertEquals(List.of(HOST_BRIDGE, EDU), bus.devices().stream().map(PciDevice::address).toList());
            PciDevice bridge = bus.device(HOST_BRIDGE).orElseThrow();
            assertEquals(List.of(0x1b36, 0x0008, 0x060000, 0, 0), List.of(bridge.vendorId(), bridge.deviceId(),
                    bridge.classCode(), bridge.headerType(), bridge.interruptPin()));
            assertEquals(List.of(), bridge.bars());
            assertEquals(OptionalInt.empty(), bridge.interruptLine());
            assertFalse(bridge.memoryEnabled());

            PciDevice edu = bus.devices(0x1234, 0x11e8).getFirst();
            assertEquals(EDU, edu.address());
            assertEquals(List.of(0x00ff00, 0x10, 0x1af4, 0x1100, 1), List.of(edu.classCode(), edu.revision(),
                    edu.subsystemVendorId(), edu.subsystemId(), edu.interruptPin()));
            assertEquals(0x00ff, edu.baseAndSubclass());
            assertFalse(edu.multiFunction());
            long busAddress = Long.decode(busText);
            long cpuAddress = Long.decode(cpuText);
            assertEquals(List.of(new PciBar(0, busAddress, cpuAddress, 1 << 20, false, false, true)), edu.bars());
            assertEquals(Optional.of(edu.bars().getFirst()), edu.bar(0));
            assertEquals(Optional.empty(), edu.bar(1));
            assertTrue(edu.memoryEnabled());
            assertEquals(Optional.empty(), edu.problem());
            assertEquals(OptionalInt.of(line), edu.interruptLine(), "device 1 INTA# is swizzled to INTB");
            assertEquals(controller, edu.interrupt().orElseThrow().controller().path());

            Mmio registers = machine.mmio().map(cpuAddress, 1 << 20);
            assertEquals(0x010000ed, registers.read32(0), "the BAR decodes where the enumerator put it");
            Mmio ecam = machine.mmio().map(new PlatformDevices(tree(machine)).registers("pci-host-ecam-generic")
                    .address(), 1 << 20);
            assertEquals(0b110, ecam.read16(EDU.ecamOffset() + 4) & 0x0407, "memory, bus master, INTx enabled");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theEnumeratedEduDeviceCopiesRamThroughItsBufferAsBusMaster(Architecture architecture) throws Exception {
        try (Machine machine = machine(architecture)) {
            PciDevice edu = PciEnumerator.enumerate(tree(machine), machine.mmio()).devices(0x1234, 0x11e8).getFirst();
            Mmio registers = machine.mmio().map(edu.bar(0).orElseThrow().cpuAddress(), 1 << 20);
            long source = machine.memory().base() + 0x10_0000;
            long destination = source + 0x1000;
            byte[] pattern = new byte[256];
            new java.util.Random(architecture.ordinal()).nextBytes(pattern);
            MemorySegment.copy(pattern, 0, machine.memory().slice(source, 256), ValueLayout.JAVA_BYTE, 0, 256);

            dma(registers, source, 0x40000, 1);
            dma(registers, 0x40000, destination, 0b111);

            assertArrayEquals(pattern, machine.memory().slice(destination, 256).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0x100, registers.read32(0x24), "DMA completion interrupt 0x100");
        }
    }

    /** edu.rst "DMA controller": source, destination, count, command; then poll until bit 0 clears. */
    private static void dma(Mmio registers, long source, long destination, int command) throws InterruptedException {
        registers.write64(0x80, source);
        registers.write64(0x88, destination);
        registers.write64(0x90, 256);
        registers.write64(0x98, command);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((registers.read32(0x98) & 1) != 0) {
            assertTrue(System.nanoTime() < deadline, "the transfer did not finish within 5 s");
            Thread.sleep(1);
        }
    }

    @Test
    void aMachineWithoutAHostBridgeHasAnEmptyBus() throws Exception {
        try (Machine machine = machine(Architecture.RISCV64)) {
            DeviceTree tree = new SyntheticPciTree().tree();
            DeviceTree withoutPci = FlattenedDeviceTree.parse(java.nio.ByteBuffer.wrap(
                    org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter.write(
                            org.astralisp.machine.devicetree.DeviceTreeNode.root(), 0)));
            assertEquals(List.of(), PciEnumerator.enumerate(withoutPci, machine.mmio()).devices());
            assertEquals(2, PciEnumerator.enumerate(tree, machine.mmio()).devices().size());
        }
    }

    @Test
    void aBarThatDoesNotFitLeavesMemoryDecodingOffAndSaysWhy() throws Exception {
        try (Machine machine = machine(Architecture.RISCV64)) {
            DeviceTree tree = new SyntheticPciTree()
                    .with("ranges", 0x0200_0000, 0, 0x4000_0000, 0, 0x4000_0000, 0, 0x8_0000).tree();
            PciDevice edu = PciEnumerator.enumerate(tree, machine.mmio()).device(EDU).orElseThrow();

            assertFalse(edu.memoryEnabled());
            assertEquals(List.of(new PciBar(0, 0, 0, 1 << 20, false, false, false)), edu.bars());
            assertEquals(Optional.of("its BARs (1M in all) do not fit in the 32-bit memory window"
                    + " [0x40000000, 0x40080000) beside the other functions: memory decoding left off"), edu.problem());
            assertEquals(OptionalInt.of(33), edu.interruptLine(), "the interrupt is still routed");
            Mmio ecam = machine.mmio().map(0x3000_0000L, 1 << 20);
            assertEquals(0, ecam.read16(EDU.ecamOffset() + 4) & 0b110, "memory space and bus master off");
        }
    }

    @Test
    void aBusRangeStartingLaterIsScannedFromItsFirstBus() throws Exception {
        try (Machine machine = machine(Architecture.RISCV64)) {
            DeviceTree tree = new SyntheticPciTree().with("bus-range", 0, 3).tree();
            assertEquals(2, PciEnumerator.enumerate(tree, machine.mmio()).devices().size());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ranges             | /soc/pci@30000000: ranges: missing: the host bridge maps no memory window
            reg                | /soc/pci@30000000: reg: /soc/pci@30000000: reg: missing
            interrupt-map      | /soc/pci@30000000: interrupt-map: missing, so INTA# of 00:01.0 reaches no interrupt controller
            """)
    void aMissingPropertyIsASpecificException(String property, String message) throws Exception {
        try (Machine machine = machine(Architecture.RISCV64)) {
            DeviceTree tree = new SyntheticPciTree().without(property).tree();
            PciNodeException e = assertThrows(PciNodeException.class,
                    () -> PciEnumerator.enumerate(tree, machine.mmio()));
            assertEquals(message, e.getMessage());
            assertEquals(property, e.property());
            assertEquals("/soc/pci@30000000", e.nodePath());
        }
    }

    @Test
    void malformedPropertiesAreSpecificExceptions() throws Exception {
        try (Machine machine = machine(Architecture.RISCV64)) {
            assertRefused(machine, new SyntheticPciTree().with("interrupt-map", 0, 0, 0, 1, 1),
                    "interrupt-map", "routing INTA# of 00:01.0: ");
            assertRefused(machine, new SyntheticPciTree().with("interrupt-map", 0, 0, 0, 1, 1, 32),
                    "interrupt-map", "routing INTA# of 00:01.0: /soc/pci@30000000: interrupt-map: no entry for unit"
                            + " address <0x800 0x0 0x0>");
            assertRefused(machine, new SyntheticPciTree().with("interrupt-map-mask", 0x1800),
                    "interrupt-map", "routing INTA# of 00:01.0: ");
            assertRefused(machine, new SyntheticPciTree().with("#interrupt-cells", 2),
                    "#interrupt-cells", "2 cells, but a PCI interrupt specifier is one cell, the pin");
            assertRefused(machine, new SyntheticPciTree().with("ranges", 0x0100_0000, 0, 0, 0, 0x4000_0000, 0, 0x1000),
                    "ranges", "no 32-bit memory space entry (phys.hi space code 0b10) among 1");
            assertRefused(machine, new SyntheticPciTree().with("ranges", 0x0200_0000, 0, 0x4000_0000, 0),
                    "ranges", "/soc/pci@30000000: ranges: value is 16 bytes");
            assertRefused(machine, new SyntheticPciTree()
                            .with("ranges", 0x0200_0000, 1, 0, 0, 0x4000_0000, 0, 0x1000),
                    "ranges", "the 32-bit memory window at bus address 0x100000000 of 0x1000 bytes does not lie below 4 GiB");
            assertRefused(machine, new SyntheticPciTree().with("#address-cells", 2),
                    "#address-cells", "2 cells, but PCI addresses are 3 (phys.hi phys.mid phys.lo)");
            assertRefused(machine, new SyntheticPciTree().with("bus-range", 5, 2),
                    "bus-range", "expected <first last> with 0 <= first <= last <= 255");
            assertRefused(machine, new SyntheticPciTree().with("bus-range", 0),
                    "bus-range", "expected <first last>");
            assertRefused(machine, new SyntheticPciTree().with("reg", 0, 0x3000_0000, 0, 0x10_0000),
                    "reg", "0x100000 bytes of ECAM cannot hold buses 0..255 (1 MiB each)");
        }
    }

    private static void assertRefused(Machine machine, SyntheticPciTree spec, String property, String start)
            throws Exception {
        DeviceTree tree = spec.tree();
        PciNodeException e = assertThrows(PciNodeException.class, () -> PciEnumerator.enumerate(tree, machine.mmio()));
        assertEquals(property, e.property(), e.getMessage());
        assertTrue(e.getMessage().startsWith("/soc/pci@30000000: " + property + ": " + start), e.getMessage());
    }

    @Test
    void addressesParseAndPrintAsLspciWritesThem() {
        assertEquals("00:01.0", EDU.toString());
        assertEquals(new PciAddress(0xab, 0x1f, 7), PciAddress.parse("ab:1f.7"));
        assertEquals(0x0800, EDU.physHi());
        assertEquals(0x8000, EDU.ecamOffset());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("0:1.0"));
        assertEquals("\"0:1.0\" is not a PCI address of the form bb:dd.f (hex bus and device, function 0..7)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("00:20.0"));
        assertThrows(IllegalArgumentException.class, () -> new PciAddress(256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PciAddress(0, 0, 8));
        assertTrue(HOST_BRIDGE.compareTo(EDU) < 0);
    }

    @Test
    void barsKnowTheirShapeAndSize() {
        assertEquals("1M", PciBar.sizeText(1 << 20));
        assertEquals("16K", PciBar.sizeText(1 << 14));
        assertEquals("2G", PciBar.sizeText(1L << 31));
        assertEquals("48", PciBar.sizeText(48));
        assertThrows(IllegalArgumentException.class, () -> new PciBar(6, 0, 0, 16, false, false, true));
        assertThrows(IllegalArgumentException.class, () -> new PciBar(0, 0, 0, 24, false, false, true));
        assertThrows(IllegalArgumentException.class, () -> new PciBar(0, 0x1000, 0, 16, false, false, false));
    }
}

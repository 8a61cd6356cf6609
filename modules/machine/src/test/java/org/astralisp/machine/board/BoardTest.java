package org.astralisp.machine.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.devicetree.DtbReader;
import org.astralisp.machine.devicetree.DtbReader.Node;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every board's memory map and device tree must hold, checked on each board. */
class BoardTest {

    private static final long MEMORY = 512L << 20;
    private static final String BOOT_ARGUMENTS = "console=ttyS0 root=/dev/vda";

    static Stream<Board> boards() {
        return Stream.of(new X86Board(), new RiscvBoard(), new PowerBoard());
    }

    /** Every device range of {@code board}, named. */
    private static Map<String, PhysicalRange> devices(Board board) {
        Map<String, PhysicalRange> devices = new HashMap<>();
        devices.put("uart", board.uart());
        devices.put("rtc", board.rtc());
        devices.put("ecam", board.pcieEcam());
        devices.put("pcie-memory", board.pcieMemory32());
        for (int slot = 0; slot < Board.VIRTIO_MMIO_SLOTS; slot++) {
            devices.put("virtio" + slot, board.virtioMmio(slot));
        }
        switch (board) {
            case X86Board x -> {
                devices.put("ioapic", X86Board.IO_APIC);
                devices.put("lapic", X86Board.LOCAL_APIC);
            }
            case RiscvBoard r -> {
                devices.put("clint", RiscvBoard.CLINT);
                devices.put("plic", RiscvBoard.PLIC);
            }
            case PowerBoard p -> devices.put("xive", PowerBoard.XIVE);
        }
        return devices;
    }

    private static Node tree(Board board, int cpus) {
        return DtbReader.read(FlattenedDeviceTreeWriter.write(board.deviceTree(cpus, MEMORY, BOOT_ARGUMENTS), 0));
    }

    private static int[] u64Cells(long... values) {
        int[] cells = new int[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            cells[2 * i] = (int) (values[i] >>> 32);
            cells[2 * i + 1] = (int) values[i];
        }
        return cells;
    }

    @ParameterizedTest
    @MethodSource("boards")
    void noTwoRangesOverlapAndRamCanGrowToItsLimit(Board board) {
        List<Map.Entry<String, PhysicalRange>> ranges = new ArrayList<>(devices(board).entrySet());
        ranges.add(Map.entry("ram", new PhysicalRange(board.ramBase(), board.ramLimit() - board.ramBase())));
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                assertFalse(ranges.get(i).getValue().overlaps(ranges.get(j).getValue()),
                        ranges.get(i) + " overlaps " + ranges.get(j));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("boards")
    void eachDeviceStartsOnAPageOfItsOwn(Board board) {
        devices(board).forEach((name, range) -> assertEquals(0, range.base() % board.pageSize(),
                name + " at 0x" + Long.toHexString(range.base()) + " is not page-aligned"));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void rootUsesTwoAddressAndSizeCellsAndNamesTheBoard(Board board) {
        Node root = tree(board, 1);
        assertEquals(2, root.cell("#address-cells"));
        assertEquals(2, root.cell("#size-cells"));
        assertTrue(root.string("compatible").startsWith("astralisp,"), root.string("compatible"));
        assertTrue(root.string("model").startsWith("AstraLisp "), root.string("model"));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void chosenHoldsTheBootArgumentsAndTheConsoleUart(Board board) {
        Node root = tree(board, 1);
        Node chosen = root.at("chosen");
        assertEquals(BOOT_ARGUMENTS, chosen.string("bootargs"));
        Node console = root.at(chosen.string("stdout-path"));
        assertEquals("ns16550a", console.string("compatible"));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void memoryNodeGivesRamBaseAndSize(Board board) {
        Node memory = tree(board, 1).at("memory@" + Long.toHexString(board.ramBase()));
        assertEquals("memory", memory.string("device_type"));
        assertArrayEquals(u64Cells(board.ramBase(), MEMORY), memory.cells("reg"));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void cpusHasOneCpuNodePerCpuAndTheTimebase(Board board) {
        Node cpus = tree(board, 3).at("cpus");
        assertEquals(1, cpus.cell("#address-cells"));
        assertEquals(0, cpus.cell("#size-cells"));
        assertEquals(board.timebaseFrequency(), Integer.toUnsignedLong(cpus.cell("timebase-frequency")));
        assertEquals(List.of("cpu@0", "cpu@1", "cpu@2"), cpus.children().stream().map(Node::name).toList());
        for (int id = 0; id < 3; id++) {
            Node cpu = cpus.at("cpu@" + id);
            assertEquals("cpu", cpu.string("device_type"));
            assertEquals(id, cpu.cell("reg"));
        }
    }

    @ParameterizedTest
    @MethodSource("boards")
    void phandlesAreUniqueAndNonZero(Board board) {
        List<Integer> phandles = tree(board, 4).all().stream().filter(n -> n.has("phandle"))
                .map(n -> n.cell("phandle")).toList();
        assertFalse(phandles.isEmpty());
        assertEquals(phandles.size(), phandles.stream().distinct().count(), phandles.toString());
        assertFalse(phandles.contains(0));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void everyDeviceInterruptNamesAControllerWithMatchingCells(Board board) {
        Node root = tree(board, 2);
        Map<Integer, Node> byPhandle = new HashMap<>();
        root.all().stream().filter(n -> n.has("phandle")).forEach(n -> byPhandle.put(n.cell("phandle"), n));
        List<Node> interrupting = root.all().stream().filter(n -> n.has("interrupts")).toList();
        assertEquals(1 + 1 + Board.VIRTIO_MMIO_SLOTS, interrupting.size(), "uart, rtc and the virtio slots");
        for (Node device : interrupting) {
            Node controller = byPhandle.get(device.cell("interrupt-parent"));
            assertTrue(controller.has("interrupt-controller"), device.name());
            assertEquals(controller.cell("#interrupt-cells"), device.cells("interrupts").length, device.name());
        }
    }

    @ParameterizedTest
    @MethodSource("boards")
    void uartIsA16550WithItsClockAndInterrupt(Board board) {
        Node uart = tree(board, 1).at("soc/serial@" + Long.toHexString(board.uart().base()));
        assertEquals("ns16550a", uart.string("compatible"));
        assertArrayEquals(u64Cells(board.uart().base(), board.uart().size()), uart.cells("reg"));
        assertEquals(0, uart.cell("reg-shift"));
        assertTrue(uart.cell("clock-frequency") > 0);
        assertEquals(board.uartInterrupt(), uart.cells("interrupts")[0]);
    }

    @ParameterizedTest
    @MethodSource("boards")
    void rtcIsAGoldfishRtc(Board board) {
        Node rtc = tree(board, 1).at("soc/rtc@" + Long.toHexString(board.rtc().base()));
        assertEquals("google,goldfish-rtc", rtc.string("compatible"));
        assertArrayEquals(u64Cells(board.rtc().base(), board.rtc().size()), rtc.cells("reg"));
        assertEquals(board.rtcInterrupt(), rtc.cells("interrupts")[0]);
    }

    @ParameterizedTest
    @MethodSource("boards")
    void eightVirtioMmioSlotsEachWithItsOwnInterrupt(Board board) {
        Node soc = tree(board, 1).at("soc");
        List<Integer> lines = new ArrayList<>();
        for (int slot = 0; slot < Board.VIRTIO_MMIO_SLOTS; slot++) {
            PhysicalRange range = board.virtioMmio(slot);
            Node virtio = soc.at("virtio_mmio@" + Long.toHexString(range.base()));
            assertEquals("virtio,mmio", virtio.string("compatible"));
            assertArrayEquals(u64Cells(range.base(), range.size()), virtio.cells("reg"));
            assertEquals(board.virtioMmioInterrupt(slot), virtio.cells("interrupts")[0]);
            lines.add(virtio.cells("interrupts")[0]);
        }
        assertEquals(Board.VIRTIO_MMIO_SLOTS, lines.stream().distinct().count());
        assertFalse(lines.contains(board.uartInterrupt()));
        assertFalse(lines.contains(board.rtcInterrupt()));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void pcieHostBridgeIsGenericEcamWithAMemoryWindow(Board board) {
        Node pci = tree(board, 1).at("soc/pci@" + Long.toHexString(board.pcieEcam().base()));
        assertEquals("pci-host-ecam-generic", pci.string("compatible"));
        assertEquals("pci", pci.string("device_type"));
        assertArrayEquals(u64Cells(board.pcieEcam().base(), board.pcieEcam().size()), pci.cells("reg"));
        assertArrayEquals(new int[] {0, 255}, pci.cells("bus-range"));
        assertEquals(3, pci.cell("#address-cells"));
        assertEquals(2, pci.cell("#size-cells"));
        assertEquals(1, pci.cell("#interrupt-cells"));
        int[] ranges = pci.cells("ranges");
        assertEquals(7, ranges.length);
        assertEquals(0x0200_0000, ranges[0], "32-bit memory space");
        long bus = ((long) ranges[1] << 32) | Integer.toUnsignedLong(ranges[2]);
        assertEquals(board.pcieMemory32BusAddress(), bus);
        assertTrue(bus + board.pcieMemory32().size() <= 1L << 32, "the window is below 4 GiB on the bus");
        assertArrayEquals(u64Cells(board.pcieMemory32().base(), board.pcieMemory32().size()),
                Arrays.copyOfRange(ranges, 3, 7));
    }

    @ParameterizedTest
    @MethodSource("boards")
    void interruptMapSwizzlesIntxOfDevicesZeroToThree(Board board) {
        Node root = tree(board, 1);
        Node pci = root.at("soc/pci@" + Long.toHexString(board.pcieEcam().base()));
        assertArrayEquals(new int[] {0x1800, 0, 0, 7}, pci.cells("interrupt-map-mask"));
        int[] map = pci.cells("interrupt-map");
        int parent = map[4];
        Node controller = root.all().stream().filter(n -> n.has("phandle") && n.cell("phandle") == parent)
                .findFirst().orElseThrow();
        assertEquals(0, controller.cell("#address-cells"));
        int parentCells = controller.cell("#interrupt-cells");
        int entry = 3 + 1 + 1 + parentCells;
        assertEquals(16 * entry, map.length);
        for (int device = 0; device < 4; device++) {
            for (int pin = 1; pin <= 4; pin++) {
                int at = (device * 4 + pin - 1) * entry;
                assertEquals(device << 11, map[at]);
                assertEquals(pin, map[at + 3]);
                assertEquals(parent, map[at + 4]);
                assertEquals(board.pciInterrupt((device + pin - 1) % 4), map[at + 5],
                        "device " + device + " INT" + (char) ('A' + pin - 1));
            }
        }
    }

    @Test
    void riscvHartsHaveLocalControllersThatThePlicAndClintDrive() {
        Node root = tree(new RiscvBoard(), 2);
        int[] intc = new int[2];
        for (int hart = 0; hart < 2; hart++) {
            Node cpu = root.at("cpus/cpu@" + hart);
            assertEquals("riscv", cpu.string("compatible"));
            assertEquals("rv64imafdc", cpu.string("riscv,isa"));
            assertEquals("riscv,sv48", cpu.string("mmu-type"));
            Node controller = cpu.at("interrupt-controller");
            assertEquals("riscv,cpu-intc", controller.string("compatible"));
            assertEquals(1, controller.cell("#interrupt-cells"));
            assertTrue(controller.has("interrupt-controller"));
            intc[hart] = controller.cell("phandle");
        }
        Node plic = root.at("soc/interrupt-controller@c000000");
        assertEquals(List.of("sifive,plic-1.0.0", "riscv,plic0"), plic.strings("compatible"));
        assertEquals(RiscvBoard.PLIC_SOURCES, plic.cell("riscv,ndev"));
        assertArrayEquals(new int[] {intc[0], 11, intc[0], 9, intc[1], 11, intc[1], 9},
                plic.cells("interrupts-extended"));
        Node clint = root.at("soc/clint@2000000");
        assertEquals(List.of("sifive,clint0", "riscv,clint0"), clint.strings("compatible"));
        assertArrayEquals(new int[] {intc[0], 3, intc[0], 7, intc[1], 3, intc[1], 7},
                clint.cells("interrupts-extended"));
        assertEquals(10_000_000, root.at("cpus").cell("timebase-frequency"));
    }

    @Test
    void interruptControllerRegistersGrowWithTheCpusAndFitTheirWindowsAtTheLargest() {
        assertEquals(0x20_4000, RiscvBoard.plicRegisters(2).size(), "2 MiB + 2 contexts per hart");
        assertTrue(RiscvBoard.PLIC.contains(RiscvBoard.PLIC.base(),
                RiscvBoard.plicRegisters(new RiscvBoard().maximumCpus()).size()));
        assertArrayEquals(u64Cells(RiscvBoard.PLIC.base(), 0x20_4000),
                tree(new RiscvBoard(), 2).at("soc/interrupt-controller@c000000").cells("reg"));
        assertEquals(0x1_2000, PowerBoard.xiveRegisters(2).size(), "64 KiB + 4 KiB per server");
        assertTrue(PowerBoard.XIVE.contains(PowerBoard.XIVE.base(),
                PowerBoard.xiveRegisters(new PowerBoard().maximumCpus()).size()));
        assertArrayEquals(u64Cells(PowerBoard.XIVE.base(), 0x1_2000),
                tree(new PowerBoard(), 2).at("soc/interrupt-controller@6000000000000").cells("reg"));
    }

    @Test
    void x86HasAnIoApicAndALocalApicAtTheirArchitecturalAddresses() {
        Node root = tree(new X86Board(), 1);
        Node ioApic = root.at("soc/interrupt-controller@fec00000");
        assertEquals("intel,ce4100-ioapic", ioApic.string("compatible"));
        assertEquals(2, ioApic.cell("#interrupt-cells"));
        Node localApic = root.at("soc/interrupt-controller@fee00000");
        assertEquals("intel,ce4100-lapic", localApic.string("compatible"));
        assertTrue(localApic.has("interrupt-controller"));
        assertArrayEquals(new int[] {4, 2}, root.at("soc/serial@fe000000").cells("interrupts"),
                "pin 4, level high");
        assertEquals(ioApic.cell("phandle"), root.at("soc/serial@fe000000").cell("interrupt-parent"));
        assertEquals("intel,x86-64", root.at("cpus/cpu@0").string("compatible"));
        assertEquals(1_000_000_000, root.at("cpus").cell("timebase-frequency"));
    }

    @Test
    void ppc64HasAXiveAndPower9CpusWithInterruptServers() {
        Node root = tree(new PowerBoard(), 2);
        Node xive = root.at("soc/interrupt-controller@6000000000000");
        assertEquals("astralisp,xive", xive.string("compatible"));
        assertEquals(2, xive.cell("#interrupt-cells"));
        for (int id = 0; id < 2; id++) {
            Node cpu = root.at("cpus/cpu@" + id);
            assertEquals("ibm,power9", cpu.string("compatible"));
            assertEquals(id, cpu.cell("ibm,ppc-interrupt-server#s"));
        }
        assertArrayEquals(new int[] {10, 4}, root.at("soc/serial@6000001000000").cells("interrupts"),
                "source 10, level high");
        assertEquals(512_000_000, root.at("cpus").cell("timebase-frequency"));
        assertEquals(65536, new PowerBoard().pageSize());
    }

    @ParameterizedTest
    @MethodSource("boards")
    void slotAndPinNumbersOutOfRangeAreRefused(Board board) {
        assertThrows(IndexOutOfBoundsException.class, () -> board.virtioMmio(8));
        assertThrows(IndexOutOfBoundsException.class,
                () -> board.virtioMmioInterrupt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> board.pciInterrupt(4));
    }
}

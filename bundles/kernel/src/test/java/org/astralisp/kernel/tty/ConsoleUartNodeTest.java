package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Finding the console UART: /chosen/stdout-path, the ns16550a binding, the interrupt and its trigger. */
class ConsoleUartNodeTest {

    private static ConsoleUartNode onMachine(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            return ConsoleUartNode.fromStdoutPath(Machines.deviceTree(machine));
        }
    }

    @Test
    void x86ConsoleIsTheMmio16550OnIoApicPinFourLevelHigh() throws Exception {
        ConsoleUartNode node = onMachine(Architecture.X86_64);
        assertEquals("/soc/serial@fe000000", node.path());
        assertEquals(new AddressRange(0xFE00_0000L, 0x100), node.registers());
        assertEquals(0, node.regShift());
        assertEquals(1_843_200, node.clockHz());
        assertEquals(4, node.line());
        assertEquals(Trigger.LEVEL, node.trigger());
        assertEquals("ns16550a at 0xfe000000", node.description());
    }

    @Test
    void riscvConsoleIsOnPlicSourceTen() throws Exception {
        ConsoleUartNode node = onMachine(Architecture.RISCV64);
        assertEquals(new AddressRange(0x1000_0000L, 0x100), node.registers());
        assertEquals(3_686_400, node.clockHz());
        assertEquals(10, node.line());
        assertEquals(Trigger.LEVEL, node.trigger(), "one cell: a 16550's output is a level");
    }

    @Test
    void ppc64ConsoleIsOnXiveSourceTenLevel() throws Exception {
        ConsoleUartNode node = onMachine(Architecture.PPC64);
        assertEquals(0x0006_0000_0100_0000L, node.registers().address());
        assertEquals(10, node.line());
        assertEquals(Trigger.LEVEL, node.trigger());
    }

    /** A small tree: an interrupt controller and one UART that {@code /chosen} names, with {@code extra} properties. */
    private static DeviceTree tree(String controller, int[] interrupts, String stdoutPath, String compatible,
            Consumer<DeviceTreeNode> extra) throws Exception {
        DeviceTreeNode root = DeviceTreeNode.root();
        root.cells("#address-cells", 2).cells("#size-cells", 2);
        root.addChild("chosen").string("stdout-path", stdoutPath);
        root.addChild("intc").string("compatible", controller).flag("interrupt-controller")
                .cells("#interrupt-cells", interrupts.length).cells("#address-cells", 0).cells("phandle", 1);
        DeviceTreeNode uart = root.addChild("serial@1000").string("compatible", compatible)
                .cells("reg", 0, 0x1000, 0, 0x100).cells("clock-frequency", 1_843_200)
                .cells("interrupt-parent", 1).cells("interrupts", interrupts);
        extra.accept(uart);
        return FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));
    }

    private static DeviceTree tree(Consumer<DeviceTreeNode> extra) throws Exception {
        return tree("riscv,plic0", new int[] {7}, "/serial@1000", "ns16550a", extra);
    }

    private static DeviceTree tree(String controller, int... interrupts) throws Exception {
        return tree(controller, interrupts, "/serial@1000", "ns16550a", uart -> { });
    }

    private static String refusal(DeviceTree tree) {
        return assertThrows(ConsoleDeviceException.class, () -> ConsoleUartNode.fromStdoutPath(tree)).getMessage();
    }

    @Test
    void stdoutPathOptionsAreIgnoredAndAbsentOptionalPropertiesTakeTheirDefaults() throws Exception {
        ConsoleUartNode node = ConsoleUartNode.fromStdoutPath(
                tree("riscv,plic0", new int[] {7}, "/serial@1000:115200n8", "ns16550a", uart -> { }));
        assertEquals("/serial@1000", node.path());
        assertEquals(0, node.regShift());
        assertEquals(7, node.line());
    }

    @Test
    void regShiftAndAByteWideRegIoWidthAreHonoured() throws Exception {
        ConsoleUartNode node = ConsoleUartNode.fromStdoutPath(tree(uart -> uart.cells("reg-shift", 2)
                .cells("reg-io-width", 1)));
        assertEquals(2, node.regShift());
    }

    @Test
    void refusesATreeWithoutChosen() throws Exception {
        DeviceTreeNode root = DeviceTreeNode.root();
        DeviceTree tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));
        assertTrue(refusal(tree).contains("no /chosen node"));
    }

    @Test
    void refusesAStdoutPathThatNamesNoNode() throws Exception {
        assertEquals("/chosen: stdout-path: \"/serial@2000\" names no node",
                refusal(tree("riscv,plic0", new int[] {7}, "/serial@2000", "ns16550a", uart -> { })));
    }

    @Test
    void refusesANodeThatIsNotA16550A() throws Exception {
        String message = refusal(tree("riscv,plic0", new int[] {7}, "/serial@1000",
                "snps,dw-apb-uart", uart -> { }));
        assertTrue(message.contains("/serial@1000: compatible [snps,dw-apb-uart] is not a 16550A"), message);
    }

    @Test
    void refusesADisabledNode() throws Exception {
        assertTrue(refusal(tree(uart -> uart.string("status", "disabled"))).contains("status is DISABLED"));
    }

    @Test
    void refusesARegShiftOutOfRangeAndAWideRegIoWidth() throws Exception {
        assertTrue(refusal(tree(uart -> uart.cells("reg-shift", 5))).contains("reg-shift: 5 is not 0..3"));
        assertTrue(refusal(tree(uart -> uart.cells("reg-io-width", 4))).contains("reg-io-width: 4"));
    }

    @Test
    void refusesAMissingClockFrequencyNamingIt() throws Exception {
        DeviceTreeNode root = DeviceTreeNode.root();
        root.cells("#address-cells", 2).cells("#size-cells", 2);
        root.addChild("chosen").string("stdout-path", "/serial@1000");
        root.addChild("serial@1000").string("compatible", "ns16550a").cells("reg", 0, 0x1000, 0, 0x100);
        DeviceTree tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));
        assertTrue(refusal(tree).contains("clock-frequency"), refusal(tree));
    }

    @ParameterizedTest
    @CsvSource({"'intel,ce4100-ioapic', 0, EDGE", "'intel,ce4100-ioapic', 1, LEVEL",
        "'intel,ce4100-ioapic', 2, LEVEL", "'intel,ce4100-ioapic', 3, EDGE",
        "'astralisp,xive', 1, EDGE", "'astralisp,xive', 2, EDGE",
        "'astralisp,xive', 4, LEVEL", "'astralisp,xive', 8, LEVEL"})
    void theSenseCellGivesTheTrigger(String controller, int sense, Trigger trigger) throws Exception {
        ConsoleUartNode node = ConsoleUartNode.fromStdoutPath(tree(controller, 9, sense));
        assertEquals(9, node.line());
        assertEquals(trigger, node.trigger());
    }

    @ParameterizedTest
    @CsvSource({"'intel,ce4100-ioapic', 7", "'astralisp,xive', 3"})
    void refusesASenseTheControllersBindingDoesNotHave(String controller, int sense) throws Exception {
        String message = refusal(tree(controller, 9, sense));
        assertEquals("/serial@1000: interrupts: sense " + sense + " is not a trigger of /intc's binding", message);
    }

    @Test
    void refusesATwoCellSpecifierOfAControllerItDoesNotKnow() throws Exception {
        String message = refusal(tree("arm,gic-400", 0, 9, 4));
        assertTrue(message.contains("no known binding for the 3-cell specifier of /intc"), message);
    }
}

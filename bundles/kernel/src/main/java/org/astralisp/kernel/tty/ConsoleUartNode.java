package org.astralisp.kernel.tty;

import java.util.List;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.DeviceNode;
import org.astralisp.hal.api.devicetree.DevicePropertyException;
import org.astralisp.hal.api.devicetree.DeviceStatus;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.InterruptSpecifier;
import org.astralisp.hal.api.irq.Trigger;

/**
 * The console UART as the device tree describes it: the node
 * {@code /chosen/stdout-path} names (devicetree spec v0.4 §3.6; the part after
 * a {@code :} is options and is ignored), which must be an {@code ns16550a}
 * (Linux binding {@code serial/8250.yaml}) whose status is okay.
 *
 * @param path      the node's path
 * @param registers its first {@code reg} range, CPU physical
 * @param regShift  {@code reg-shift}: registers are {@code 1 << regShift} bytes apart; 0 when absent
 * @param clockHz   {@code clock-frequency}, required
 * @param line      the interrupt controller's line: the first cell of the first interrupt specifier,
 *                  routed through the node's interrupt parent (§2.4)
 * @param trigger   how that line signals, from the specifier's sense cell where the controller has one
 */
record ConsoleUartNode(String path, AddressRange registers, int regShift, long clockHz, int line, Trigger trigger) {

    static final String COMPATIBLE = "ns16550a";

    /** The console UART of {@code tree}. */
    static ConsoleUartNode fromStdoutPath(DeviceTree tree) throws ConsoleDeviceException {
        DeviceNode chosen = tree.node("/chosen")
                .orElseThrow(() -> new ConsoleDeviceException("no /chosen node: the firmware names no console"));
        try {
            String stdoutPath = chosen.property("stdout-path").string();
            int options = stdoutPath.indexOf(':');
            String path = options >= 0 ? stdoutPath.substring(0, options) : stdoutPath;
            DeviceNode node = tree.node(path).orElseThrow(() -> new ConsoleDeviceException(
                    "/chosen: stdout-path: \"" + stdoutPath + "\" names no node"));
            return describe(node);
        } catch (DevicePropertyException e) {
            throw new ConsoleDeviceException(e.getMessage(), e);
        }
    }

    private static ConsoleUartNode describe(DeviceNode node) throws ConsoleDeviceException, DevicePropertyException {
        if (!node.isCompatible(COMPATIBLE)) {
            throw new ConsoleDeviceException(node.path() + ": compatible " + node.compatible()
                    + " is not a 16550A (\"" + COMPATIBLE + "\")");
        }
        if (node.status() != DeviceStatus.OKAY) {
            throw new ConsoleDeviceException(node.path() + ": status is " + node.status() + ", not okay");
        }
        List<AddressRange> reg = node.physicalReg();
        if (reg.isEmpty()) {
            throw new ConsoleDeviceException(node.path() + ": reg: empty, so the UART has no registers");
        }
        int regShift = node.hasProperty("reg-shift") ? node.property("reg-shift").u32() : 0;
        if (regShift < 0 || regShift > 3) {
            throw new ConsoleDeviceException(node.path() + ": reg-shift: " + Integer.toUnsignedString(regShift)
                    + " is not 0..3");
        }
        if (node.hasProperty("reg-io-width") && node.property("reg-io-width").u32() != 1) {
            throw new ConsoleDeviceException(node.path() + ": reg-io-width: "
                    + Integer.toUnsignedString(node.property("reg-io-width").u32())
                    + ": the driver reads the registers a byte at a time (1)");
        }
        long clock = node.property("clock-frequency").number();
        List<InterruptSpecifier> interrupts = node.interrupts();
        if (interrupts.isEmpty()) {
            throw new ConsoleDeviceException(node.path() + ": interrupts: empty, so the UART cannot interrupt");
        }
        InterruptSpecifier interrupt = interrupts.getFirst();
        if (interrupt.cells().isEmpty()) {
            throw new ConsoleDeviceException(node.path() + ": interrupts: the specifier for "
                    + interrupt.controller().path() + " has no cells");
        }
        return new ConsoleUartNode(node.path(), reg.getFirst(), regShift, clock, interrupt.cells().getFirst(),
                trigger(node, interrupt));
    }

    /**
     * The trigger a specifier gives, in the bindings of this machine's
     * controllers (docs/devicetree.md): one cell (the PLIC) says nothing, and
     * a 16550's interrupt output is a level; the I/O APIC's second cell is the
     * sense (0 rising, 1 level low, 2 level high, 3 falling), the XIVE's is
     * Linux's {@code IRQ_TYPE_*} (1 rising, 2 falling, 4 level high, 8 level low).
     */
    static Trigger trigger(DeviceNode node, InterruptSpecifier interrupt) throws ConsoleDeviceException {
        List<Integer> cells = interrupt.cells();
        DeviceNode controller = interrupt.controller();
        if (cells.size() == 1) {
            return Trigger.LEVEL;
        }
        int sense = cells.get(1);
        if (controller.isCompatible("intel,ce4100-ioapic")) {
            switch (sense) {
                case 0, 3:
                    return Trigger.EDGE;
                case 1, 2:
                    return Trigger.LEVEL;
                default:
                    break;
            }
        } else if (controller.isCompatible("astralisp,xive")) {
            switch (sense) {
                case 1, 2:
                    return Trigger.EDGE;
                case 4, 8:
                    return Trigger.LEVEL;
                default:
                    break;
            }
        } else {
            throw new ConsoleDeviceException(node.path() + ": interrupts: no known binding for the "
                    + cells.size() + "-cell specifier of " + controller.path());
        }
        throw new ConsoleDeviceException(node.path() + ": interrupts: sense " + Integer.toUnsignedString(sense)
                + " is not a trigger of " + controller.path() + "'s binding");
    }

    /** {@code ns16550a at 0x10000000}: what the terminal's name says drives it. */
    String description() {
        return COMPATIBLE + " at 0x" + Long.toHexString(registers.address());
    }
}

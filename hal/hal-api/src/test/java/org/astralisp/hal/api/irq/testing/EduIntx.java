package org.astralisp.hal.api.irq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.hal.api.pci.PciDevice;
import org.astralisp.hal.api.pci.PciEnumerator;
import org.astralisp.machine.Machine;
import org.astralisp.machine.port.Mmio;

/**
 * Legacy INTx end to end, the same on every architecture: the enumerator finds
 * the edu device (00:01.0, INTA#), resolves its pin through the host bridge's
 * interrupt-map to a controller line, and the arch driver delivers it,
 * level-triggered, to the CPU it is routed to. The handler acknowledges the
 * device (edu register 0x64), which lowers the line, so the interrupt is taken
 * once per raise (QEMU docs/specs/edu.rst: 0x24 status, 0x60 raise, 0x64 ack).
 */
public final class EduIntx {

    private static final int INTERRUPT_STATUS = 0x24;
    private static final int INTERRUPT_RAISE = 0x60;
    private static final int INTERRUPT_ACK = 0x64;

    private EduIntx() {
    }

    /**
     * Runs the scenario on {@code running} (two CPUs) with the arch's
     * {@code controller} and {@code timers}, expecting the edu device on
     * controller line {@code expectedLine}.
     */
    public static void deliversOnTheResolvedLineToTheRoutedCpu(RunningMachine running, InterruptController controller,
            List<Timer> timers, int expectedLine) throws Exception {
        Machine machine = running.machine;
        PciDevice edu = PciEnumerator.enumerate(FlattenedDeviceTree.parse(machine.firmware().deviceTree()),
                machine.mmio()).devices(0x1234, 0x11e8).getFirst();
        int line = edu.interruptLine().orElseThrow();
        assertEquals(expectedLine, line);
        Mmio registers = machine.mmio().map(edu.bar(0).orElseThrow().cpuAddress(), edu.bar(0).orElseThrow().size());
        controller.configure(line, Trigger.LEVEL);
        controller.setPriority(line, 1);
        controller.route(line, 1);
        controller.enable(line);
        Interrupt intx = Interrupt.external(line);
        running.onInterrupt((cpu, interrupt) -> {
            if (interrupt.equals(intx)) {
                registers.write32(INTERRUPT_ACK, registers.read32(INTERRUPT_STATUS));
            }
        });

        running.start(controller, timers, Map.of(0, cpu -> registers.write32(INTERRUPT_RAISE, 0x1)));
        running.await("the edu interrupt on CPU 1", () -> running.count(1, intx) == 1);
        running.await("the handler's acknowledgement", () -> registers.read32(INTERRUPT_STATUS) == 0);
        Thread.sleep(50);
        assertEquals(1, running.count(1, intx), "acknowledged: the level line is low, nothing is delivered again");
        assertEquals(0, running.count(0, intx), "routed to CPU 1 only");
        assertEquals(List.of(), running.failures());

        registers.write32(INTERRUPT_RAISE, 0x2);
        running.await("the second edu interrupt", () -> running.count(1, intx) == 2);
        assertEquals(List.of(), running.failures());
    }
}

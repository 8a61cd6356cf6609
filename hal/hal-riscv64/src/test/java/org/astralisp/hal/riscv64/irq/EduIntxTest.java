package org.astralisp.hal.riscv64.irq;

import java.util.List;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.EduIntx;
import org.astralisp.hal.api.irq.testing.RunningMachine;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy INTx end to end on the riscv64 machine ({@link EduIntx}): the edu
 * device's INTA# resolves to PLIC source 33 and this bundle's driver delivers it.
 */
class EduIntxTest {

    private final RunningMachine running = new RunningMachine(Architecture.RISCV64, 2);

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void eduInterruptArrivesOnTheResolvedLineOnTheRoutedCpuAndAcknowledgingEndsIt() throws Exception {
        Machine machine = running.machine;
        PlicInterruptController controller = new PlicInterruptController(machine.firmware(), machine.mmio(), machine.cpus());
        List<Timer> timers = ClintTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
        EduIntx.deliversOnTheResolvedLineToTheRoutedCpu(running, controller, timers, 33);
    }
}

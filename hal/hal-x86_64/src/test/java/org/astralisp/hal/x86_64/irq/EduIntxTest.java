package org.astralisp.hal.x86_64.irq;

import java.util.List;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.EduIntx;
import org.astralisp.hal.api.irq.testing.RunningMachine;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy INTx end to end on the x86_64 machine ({@link EduIntx}): the edu
 * device's INTA# resolves to I/O APIC pin 17 (PIRQB) and this bundle's driver delivers it.
 */
class EduIntxTest {

    private final RunningMachine running = new RunningMachine(Architecture.X86_64, 2);

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void eduInterruptArrivesOnTheResolvedLineOnTheRoutedCpuAndAcknowledgingEndsIt() throws Exception {
        Machine machine = running.machine;
        ApicInterruptController controller = new ApicInterruptController(machine.firmware(), machine.mmio());
        List<Timer> timers = ApicTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
        EduIntx.deliversOnTheResolvedLineToTheRoutedCpu(running, controller, timers, 17);
    }
}

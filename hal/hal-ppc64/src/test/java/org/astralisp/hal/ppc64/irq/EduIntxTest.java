package org.astralisp.hal.ppc64.irq;

import java.util.List;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.EduIntx;
import org.astralisp.hal.api.irq.testing.RunningMachine;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy INTx end to end on the ppc64 machine ({@link EduIntx}): the edu
 * device's INTA# resolves to XIVE source 33 and this bundle's driver delivers it.
 */
class EduIntxTest {

    private final RunningMachine running = new RunningMachine(Architecture.PPC64, 2);

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void eduInterruptArrivesOnTheResolvedLineOnTheRoutedCpuAndAcknowledgingEndsIt() throws Exception {
        Machine machine = running.machine;
        XiveInterruptController controller = new XiveInterruptController(machine.firmware(), machine.mmio());
        List<Timer> timers = Decrementers.create(machine.firmware(), machine.cpus());
        EduIntx.deliversOnTheResolvedLineToTheRoutedCpu(running, controller, timers, 33);
    }
}

package org.astralisp.hal.riscv64.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.TimerContract;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;

/** The CLINT timer on the real riscv64 machine model: the {@link TimerContract} and what is particular to it. */
class ClintTimerTest extends TimerContract {

    @Override
    protected Architecture architecture() {
        return Architecture.RISCV64;
    }

    @Override
    protected InterruptController controller(Machine machine) {
        return new PlicInterruptController(machine.firmware(), machine.mmio(), machine.cpus());
    }

    @Override
    protected List<Timer> timers(Machine machine) {
        return ClintTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
    }

    @Test
    void countsTheTimeBase() {
        assertEquals(10_000_000L, timers.getFirst().frequency());
        assertEquals(1, timers.get(1).cpu());
    }

    @Test
    void refusesIntervalsItCannotCount() {
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().periodic(-1));
    }

}

package org.astralisp.hal.x86_64.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.TimerContract;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;

/** The APIC timer on the real x86_64 machine model: the {@link TimerContract} and what is particular to it. */
class ApicTimerTest extends TimerContract {

    @Override
    protected Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    protected InterruptController controller(Machine machine) {
        return new ApicInterruptController(machine.firmware(), machine.mmio());
    }

    @Override
    protected List<Timer> timers(Machine machine) {
        return ApicTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
    }

    @Test
    void countsTheBusClockDividedBySixteen() {
        assertEquals(62_500_000L, timers.getFirst().frequency());
        assertEquals(1, timers.get(1).cpu());
    }

    @Test
    void refusesIntervalsItCannotCount() {
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().periodic(70_000 * MILLIS));
    }

}

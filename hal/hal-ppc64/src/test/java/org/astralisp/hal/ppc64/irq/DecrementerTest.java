package org.astralisp.hal.ppc64.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.testing.TimerContract;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;

/** The decrementer on the real ppc64 machine model: the {@link TimerContract} and what is particular to it. */
class DecrementerTest extends TimerContract {

    @Override
    protected Architecture architecture() {
        return Architecture.PPC64;
    }

    @Override
    protected InterruptController controller(Machine machine) {
        return new XiveInterruptController(machine.firmware(), machine.mmio());
    }

    @Override
    protected List<Timer> timers(Machine machine) {
        return Decrementers.create(machine.firmware(), machine.cpus());
    }

    @Test
    void countsTheTimeBase() {
        assertEquals(512_000_000L, timers.getFirst().frequency());
        assertEquals(1, timers.get(1).cpu());
    }

    @Test
    void refusesIntervalsItCannotCount() {
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().periodic(-1));
        assertThrows(IllegalArgumentException.class, () -> timers.getFirst().oneShot(5_000 * MILLIS));
    }

    @Test
    void aDisarmedDecrementerThatWrapsIsNoExpiry() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> {
            timers.getFirst().cancel();
            cpu.writeSystemRegister(Decrementer.DEC, -1);
            cpu.pollInterrupts();
        }));
        running.await("the ignored decrementer", () -> running.count(0, Interrupt.SPURIOUS) == 1);
        assertEquals(0, running.count(0, Interrupt.TIMER));
    }
}

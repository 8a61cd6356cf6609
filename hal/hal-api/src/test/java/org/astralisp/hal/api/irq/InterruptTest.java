package org.astralisp.hal.api.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InterruptTest {

    @Test
    void externalInterruptCarriesItsLine() {
        Interrupt interrupt = Interrupt.external(7);
        assertEquals(InterruptKind.EXTERNAL, interrupt.kind());
        assertEquals(7, interrupt.line());
        assertEquals(Interrupt.NO_LINE, Interrupt.TIMER.line());
    }

    @Test
    void onlyExternalInterruptsHaveLines() {
        assertThrows(IllegalArgumentException.class, () -> new Interrupt(InterruptKind.IPI, 3));
        assertThrows(IllegalArgumentException.class, () -> Interrupt.external(Interrupt.NO_LINE));
        assertThrows(IllegalArgumentException.class, () -> new Interrupt(InterruptKind.TIMER, -2));
    }

    @Test
    void badLineNamesControllerAndRange() {
        assertEquals(5, InvalidLineException.check("plic", 5, 1, 95));
        InvalidLineException e = assertThrows(InvalidLineException.class,
                () -> InvalidLineException.check("plic", 0, 1, 95));
        assertEquals("plic: no interrupt line 0 (lines are 1..95)", e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void badCpuNamesTheCpus() {
        assertEquals(1, InvalidCpuException.check(1, 2));
        InvalidCpuException e = assertThrows(InvalidCpuException.class, () -> InvalidCpuException.check(2, 2));
        assertEquals("CPU 2: no such CPU (CPUs are 0..1)", e.getMessage());
        assertEquals(2, e.cpu());
        assertThrows(InvalidCpuException.class, () -> InvalidCpuException.check(-1, 2));
    }

    @Test
    void badPriorityNamesWhatAndRange() {
        assertEquals(7, InvalidPriorityException.check("xive", "priority", 7, 1, 7));
        InvalidPriorityException e = assertThrows(InvalidPriorityException.class,
                () -> InvalidPriorityException.check("xive", "threshold", 8, 0, 7));
        assertEquals("xive: threshold 8 is outside 0..7", e.getMessage());
        assertEquals(8, e.priority());
        assertThrows(InvalidPriorityException.class, () -> InvalidPriorityException.check("xive", "priority", 0, 1, 7));
    }
}

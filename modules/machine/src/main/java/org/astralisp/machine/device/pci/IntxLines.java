package org.astralisp.machine.device.pci;

import java.util.List;
import java.util.Objects;
import org.astralisp.machine.port.IrqLine;

/**
 * The host bridge's four legacy interrupt lines, INTA..INTD after the swizzle
 * (PCI Local Bus 3.0 §2.2.6; PCI-to-PCI Bridge 1.2 §9.1): function
 * {@code d:f} with interrupt pin {@code p} (1 = INTA#) drives line
 * {@code (d + p - 1) mod 4}. INTx# are shared, open-drain, level-sensitive
 * signals, so a line is a wired OR: asserted while at least one function
 * asserts it.
 *
 * <p>Invariant: {@code asserters[i]} is the number of functions asserting
 * line {@code i}, and the controller's input {@code i} is raised exactly while
 * it is positive. Callers report transitions only (each function remembers
 * its own level). Guarded by this object's monitor; lock order function,
 * then these lines, then the interrupt controller.
 */
final class IntxLines {

    static final int PINS = 4;

    private final List<IrqLine> lines;
    private final int[] asserters = new int[PINS];

    /** {@code lines.get(i)} is the controller input of swizzled line {@code i}. */
    IntxLines(List<IrqLine> lines) {
        if (lines.size() != PINS) {
            throw new IllegalArgumentException(lines.size() + " INTx lines: a host bridge has " + PINS);
        }
        this.lines = List.copyOf(lines);
    }

    /** The line that pin {@code pin} (1..4) of device {@code device} drives: the standard swizzle. */
    static int swizzle(int device, int pin) {
        Objects.checkIndex(pin - 1, PINS);
        return (device + pin - 1) % PINS;
    }

    synchronized void assertLine(int line) {
        if (asserters[line]++ == 0) {
            lines.get(line).raise();
        }
    }

    synchronized void deassertLine(int line) {
        if (asserters[line] == 0) {
            throw new IllegalStateException("INTx line " + line + " deasserted more often than asserted");
        }
        if (--asserters[line] == 0) {
            lines.get(line).lower();
        }
    }

    synchronized boolean asserted(int line) {
        return asserters[line] > 0;
    }
}

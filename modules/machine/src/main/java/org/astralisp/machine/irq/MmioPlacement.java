package org.astralisp.machine.irq;

import org.astralisp.machine.bus.MmioDevice;

/**
 * Where a register block goes on the system bus: {@code device} decodes guest-physical
 * {@code [base, base + device.size())}.
 */
public record MmioPlacement(long base, MmioDevice device) {
}

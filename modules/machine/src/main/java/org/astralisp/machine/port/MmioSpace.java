package org.astralisp.machine.port;

/**
 * The system bus as the OS sees it: a driver maps the register window that
 * the device tree's {@code reg} property (or a PCI BAR) names.
 */
public interface MmioSpace {

    /**
     * The window {@code [physical, physical + length)}.
     *
     * @throws MachineCheckException if no device decodes all of that range
     */
    Mmio map(long physical, long length);
}

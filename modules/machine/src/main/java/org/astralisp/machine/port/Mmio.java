package org.astralisp.machine.port;

/**
 * One device's register window on the system bus. Offsets are from the
 * window's base. Accesses are as wide as the method says; the device defines
 * the byte order of its registers (virtio, NVMe, AHCI, e1000 and the 16550 are
 * little-endian on every architecture, and the values here are already in host
 * order: the window converts, as a bus bridge would).
 *
 * <p>An access outside the window, or of a width the device does not
 * implement, throws {@link MachineCheckException}, the model of a bus error.
 */
public interface Mmio {

    /** The guest-physical address of offset 0. */
    long base();

    /** The window's length in bytes. */
    long size();

    int read8(long offset);

    int read16(long offset);

    int read32(long offset);

    long read64(long offset);

    void write8(long offset, int value);

    void write16(long offset, int value);

    void write32(long offset, int value);

    void write64(long offset, long value);
}

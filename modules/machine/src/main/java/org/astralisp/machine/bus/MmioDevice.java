package org.astralisp.machine.bus;

/**
 * A device model's register block as the system bus sees it. The bus routes an
 * access at guest-physical {@code base + offset} to the device mapped at
 * {@code base}; the device decodes {@code offset}.
 *
 * <p>Values are in host order: a device whose registers are little-endian
 * (virtio, the 16550, the local APIC, the PLIC) simply returns the register's
 * value; a big-endian device converts. Widths are 1, 2, 4 or 8 bytes; a device
 * throws {@link org.astralisp.machine.port.MachineCheckException} for an
 * offset or width it does not implement.
 */
public interface MmioDevice {

    /** A short name for messages and {@code devices}: {@code uart0}, {@code plic}. */
    String name();

    /** The length of the register block in bytes. */
    long size();

    /** Reads {@code width} bytes at {@code offset}, zero-extended. */
    long read(long offset, int width);

    /** Writes the low {@code width} bytes of {@code value} at {@code offset}. */
    void write(long offset, int width, long value);
}

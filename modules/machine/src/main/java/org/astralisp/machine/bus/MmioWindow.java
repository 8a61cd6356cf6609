package org.astralisp.machine.bus;

import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;

/**
 * A driver's window onto one device's registers: window offset {@code o} is
 * device offset {@code deviceOffset + o}.
 *
 * <p>Every access is checked before it reaches the device: it must lie inside
 * the window and be naturally aligned (a {@code width}-byte access at a
 * guest-physical address that is a multiple of {@code width}), as PCIe and the
 * SoC register buses require of register accesses. A failed check, or a
 * {@link MachineCheckException} from the device itself, becomes a bus error
 * naming the access width, direction, guest-physical address and device. The
 * successful path allocates nothing.
 */
final class MmioWindow implements Mmio {

    private final long base;
    private final long size;
    private final MmioDevice device;
    private final long deviceOffset;

    MmioWindow(long base, long size, MmioDevice device, long deviceOffset) {
        this.base = base;
        this.size = size;
        this.device = device;
        this.deviceOffset = deviceOffset;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read8(long offset) {
        return (int) read(offset, 1);
    }

    @Override
    public int read16(long offset) {
        return (int) read(offset, 2);
    }

    @Override
    public int read32(long offset) {
        return (int) read(offset, 4);
    }

    @Override
    public long read64(long offset) {
        return read(offset, 8);
    }

    @Override
    public void write8(long offset, int value) {
        write(offset, 1, value & 0xFFL);
    }

    @Override
    public void write16(long offset, int value) {
        write(offset, 2, value & 0xFFFFL);
    }

    @Override
    public void write32(long offset, int value) {
        write(offset, 4, value & 0xFFFF_FFFFL);
    }

    @Override
    public void write64(long offset, long value) {
        write(offset, 8, value);
    }

    private long read(long offset, int width) {
        check(offset, width, "read");
        try {
            return device.read(deviceOffset + offset, width);
        } catch (MachineCheckException e) {
            throw busError(offset, width, "read", e.getMessage());
        }
    }

    private void write(long offset, int width, long value) {
        check(offset, width, "write");
        try {
            device.write(deviceOffset + offset, width, value);
        } catch (MachineCheckException e) {
            throw busError(offset, width, "write", e.getMessage());
        }
    }

    private void check(long offset, int width, String access) {
        if (offset < 0 || offset > size - width) {
            throw busError(offset, width, access, "outside the window [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(base + size) + ")");
        }
        if (((base + offset) & (width - 1)) != 0) {
            throw busError(offset, width, access, "not aligned to " + width + " bytes");
        }
    }

    /** {@code bus error: 4-byte read at 0x10000009 (uart0 + 0x9): not aligned to 4 bytes}. */
    private MachineCheckException busError(long offset, int width, String access, String reason) {
        return new MachineCheckException("bus error: " + width + "-byte " + access + " at 0x"
                + Long.toHexString(base + offset) + " (" + device.name() + " + 0x"
                + Long.toHexString(deviceOffset + offset) + "): " + reason);
    }
}

package org.astralisp.machine.irq;

import org.astralisp.machine.port.MachineCheckException;

/**
 * The bus errors the register blocks of this package raise, with one message format:
 * {@code DEVICE: WIDTH-byte read|write at offset 0xOFFSET: WHY}.
 */
public final class RegisterFaults {

    private RegisterFaults() {
    }

    /** An access of a width or alignment the register block does not decode. */
    public static MachineCheckException badWidth(String device, boolean write, long offset, int width, String rule) {
        return fault(device, write, offset, width, rule);
    }

    /** An access where no register is implemented. */
    public static MachineCheckException noRegister(String device, boolean write, long offset, int width) {
        return fault(device, write, offset, width, "no register there");
    }

    /** A write to a read-only register. */
    public static MachineCheckException readOnly(String device, long offset, int width, String register) {
        return fault(device, true, offset, width, register + " is read-only");
    }

    /** A read of a write-only register. */
    public static MachineCheckException writeOnly(String device, long offset, int width, String register) {
        return fault(device, false, offset, width, register + " is write-only");
    }

    /** A value the device refuses, with the reason. */
    public static MachineCheckException refused(String device, long offset, int width, String why) {
        return fault(device, true, offset, width, why);
    }

    /** Any other refused access, with the reason. */
    public static MachineCheckException fault(String device, boolean write, long offset, int width, String why) {
        return new MachineCheckException(String.format("%s: %d-byte %s at offset 0x%x: %s",
                device, width, write ? "write" : "read", offset, why));
    }
}

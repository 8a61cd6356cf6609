package org.astralisp.machine.cpu;

import java.util.Arrays;

/**
 * The system registers a vCPU implements, by architectural number. Immutable:
 * {@link #with} returns a new file, so a vCPU publishes each version through
 * one volatile field and looks registers up without locking or boxing.
 *
 * <p>Invariant: {@code numbers} is sorted ascending with no duplicates and
 * {@code registers[i]} implements register {@code numbers[i]}.
 */
final class SystemRegisterFile {

    static final SystemRegisterFile EMPTY = new SystemRegisterFile(new int[0], new SystemRegister[0]);

    private final int[] numbers;
    private final SystemRegister[] registers;

    private SystemRegisterFile(int[] numbers, SystemRegister[] registers) {
        this.numbers = numbers;
        this.registers = registers;
    }

    /** The register numbered {@code number}, or null. */
    SystemRegister find(int number) {
        int i = Arrays.binarySearch(numbers, number);
        return i >= 0 ? registers[i] : null;
    }

    /**
     * This file plus {@code register} as number {@code number}.
     *
     * @throws IllegalArgumentException if that number is taken
     */
    SystemRegisterFile with(int number, SystemRegister register) {
        int i = Arrays.binarySearch(numbers, number);
        if (i >= 0) {
            throw new IllegalArgumentException("system register 0x" + Integer.toHexString(number)
                    + " is registered already");
        }
        int at = -i - 1;
        int[] n = new int[numbers.length + 1];
        SystemRegister[] r = new SystemRegister[registers.length + 1];
        System.arraycopy(numbers, 0, n, 0, at);
        System.arraycopy(registers, 0, r, 0, at);
        n[at] = number;
        r[at] = register;
        System.arraycopy(numbers, at, n, at + 1, numbers.length - at);
        System.arraycopy(registers, at, r, at + 1, registers.length - at);
        return new SystemRegisterFile(n, r);
    }
}

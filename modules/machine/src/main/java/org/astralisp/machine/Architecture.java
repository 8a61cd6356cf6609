package org.astralisp.machine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The three machines (ARCHITECTURE §2), by their {@code --arch} names. */
public enum Architecture {
    X86_64("x86_64"),
    RISCV64("riscv64"),
    PPC64("ppc64");

    private final String flagName;

    Architecture(String flagName) {
        this.flagName = flagName;
    }

    /**
     * The architecture called {@code name} on the command line.
     *
     * @throws MachineException naming the choices if there is none
     */
    public static Architecture named(String name) {
        for (Architecture a : values()) {
            if (a.flagName.equals(name)) {
                return a;
            }
        }
        throw new MachineException("no architecture '" + name + "': expected one of "
                + Arrays.stream(values()).map(Architecture::toString).collect(Collectors.joining(", ")));
    }

    /** {@code x86_64}, {@code riscv64}, {@code ppc64}. */
    @Override
    public String toString() {
        return flagName;
    }
}

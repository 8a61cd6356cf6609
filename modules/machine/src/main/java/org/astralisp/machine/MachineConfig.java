package org.astralisp.machine;

import java.util.Objects;
import org.astralisp.machine.console.ConsoleBackend;

/**
 * What the command line asks of the machine: {@code --arch}, {@code --cpus},
 * {@code --memory}, the boot arguments the firmware hands the kernel in
 * {@code /chosen/bootargs}, and the host end of the console UART
 * ({@code --console}, {@link ConsoleBackend#forOption}). The machine takes
 * ownership of the back end: {@link Machine#close()} closes it.
 *
 * <p>Invariants checked here: at least one CPU, a positive memory size, boot
 * arguments without NUL. The platform's own limits (most CPUs, where RAM must
 * end, page-size multiples) are checked by {@link Machine#create}.
 *
 * @throws MachineException if an invariant does not hold
 */
public record MachineConfig(Architecture architecture, int cpus, long memoryBytes, String bootArguments,
        ConsoleBackend console) {

    /** A machine whose console is {@link ConsoleBackend#detached() detached}: output discarded, no input. */
    public MachineConfig(Architecture architecture, int cpus, long memoryBytes, String bootArguments) {
        this(architecture, cpus, memoryBytes, bootArguments, ConsoleBackend.detached());
    }

    public MachineConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(bootArguments, "bootArguments");
        if (cpus < 1) {
            throw new MachineException(cpus + " CPUs: a machine needs at least one");
        }
        if (memoryBytes <= 0) {
            throw new MachineException(memoryBytes + " bytes of memory: a machine needs some RAM");
        }
        if (bootArguments.indexOf('\0') >= 0) {
            throw new MachineException("boot arguments may not contain NUL");
        }
    }
}

package org.astralisp.machine;

import java.util.List;

/**
 * What the monitor's {@code machine} command shows: the architecture, CPUs,
 * RAM, base page size, interrupt controller and timer with the frequency of
 * its time base.
 */
public record MachineDescription(
        Architecture architecture,
        int cpus,
        long memoryBytes,
        long memoryBase,
        int pageSize,
        String interruptController,
        String timer,
        long timerFrequency) {

    /** One {@code name: value} line per field, as the monitor prints them. */
    public List<String> lines() {
        return List.of(
                "arch: " + architecture,
                "cpus: " + cpus,
                "memory: " + memoryBytes + " bytes (" + (memoryBytes >> 20) + " MiB) at 0x"
                        + Long.toHexString(memoryBase),
                "page size: " + pageSize,
                "interrupt controller: " + interruptController,
                "timer: " + timer + ", " + timerFrequency + " Hz");
    }
}

package org.astralisp.hal.api.irq;

/** A CPU number the machine does not have, or a per-CPU call made on the wrong CPU. */
public final class InvalidCpuException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int cpu;

    public InvalidCpuException(int cpu, String why) {
        super("CPU " + cpu + ": " + why);
        this.cpu = cpu;
    }

    public int cpu() {
        return cpu;
    }

    /** Returns {@code cpu} if it is in {@code 0..cpus-1}, else throws this exception. */
    public static int check(int cpu, int cpus) {
        if (cpu < 0 || cpu >= cpus) {
            throw new InvalidCpuException(cpu, "no such CPU (CPUs are 0.." + (cpus - 1) + ")");
        }
        return cpu;
    }
}

package org.astralisp.machine.irq.x86;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.port.MachineCheckException;

/**
 * IA32_TIME_STAMP_COUNTER (MSR 0x10, what {@code rdtsc} reads): an invariant TSC at
 * {@link ApicPlatform#TSC_HZ}, the same on every CPU, counting from power-on. The TSC-deadline
 * timer compares against it. Writing it is refused: the model keeps one TSC for all CPUs.
 */
public final class TimeStampCounter implements SystemRegister {

    public static final int MSR = 0x10;

    private final TickClock clock;

    public TimeStampCounter(TickClock clock) {
        this.clock = clock;
    }

    @Override
    public long read() {
        return clock.ticksNow();
    }

    @Override
    public void write(long value) {
        throw new MachineCheckException("wrmsr 0x10 (IA32_TIME_STAMP_COUNTER): the TSC is not writable in this model");
    }
}

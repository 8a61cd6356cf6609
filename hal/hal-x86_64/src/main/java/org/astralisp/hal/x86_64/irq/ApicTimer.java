package org.astralisp.hal.x86_64.irq;

import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.DIVIDE_CONFIGURATION;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.INITIAL_COUNT;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.LVT_MASKED;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.LVT_PERIODIC;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.LVT_TIMER;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.TIMER_VECTOR;

import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.TimerTicks;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Mmio;

/**
 * One CPU's local APIC timer (Intel SDM Vol. 3A §11.5.4) in one-shot or
 * periodic mode, counting the bus clock ({@code /cpus/timebase-frequency})
 * divided by {@value #DIVISOR}: at 1 GHz that is 62.5 MHz, so the 32-bit
 * initial count reaches 68.7 s. The hardware reloads a periodic count itself,
 * so {@link #expired()} has nothing to clear; the EOI is the controller's.
 *
 * <p>{@link #now()} reads IA32_TIME_STAMP_COUNTER (MSR 0x10, SDM Vol. 4 §2.1),
 * invariant and common to all CPUs on this machine, at {@link #TSC_HZ}.
 * Programming writes the divide configuration, then the LVT, then the initial
 * count, whose write starts the count (SDM §11.5.4).
 */
final class ApicTimer implements Timer {

    static final int DIVISOR = 16;
    /** Divide configuration bits 3,1,0 = 0,1,1: divide by 16 (SDM Figure 11-10). */
    private static final int DIVIDE_BY_16 = 0b0011;
    static final int IA32_TIME_STAMP_COUNTER = 0x10;
    /** The machine's TSC rate (docs/interrupts.md); the device tree does not carry it. */
    static final long TSC_HZ = 2_000_000_000L;

    private final Mmio localApic;
    private final Cpu cpu;
    private final long frequency;

    ApicTimer(Mmio localApic, Cpu cpu, long busFrequency) {
        this.localApic = localApic;
        this.cpu = cpu;
        this.frequency = busFrequency / DIVISOR;
    }

    @Override
    public int cpu() {
        return cpu.id();
    }

    @Override
    public long frequency() {
        return frequency;
    }

    @Override
    public long now() {
        return TimerTicks.toNanos(cpu.readSystemRegister(IA32_TIME_STAMP_COUNTER), TSC_HZ);
    }

    @Override
    public void oneShot(long nanos) {
        arm(nanos, 0);
    }

    @Override
    public void periodic(long nanos) {
        arm(nanos, LVT_PERIODIC);
    }

    /** Masks the LVT entry and writes initial count 0, which stops the count (SDM §11.5.4). */
    @Override
    public void cancel() {
        checkCurrent();
        localApic.write32(LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
        localApic.write32(INITIAL_COUNT, 0);
    }

    @Override
    public boolean expired() {
        checkCurrent();
        return true;
    }

    private void arm(long nanos, int mode) {
        long ticks = TimerTicks.of(nanos, frequency, 0xFFFF_FFFFL);
        checkCurrent();
        localApic.write32(DIVIDE_CONFIGURATION, DIVIDE_BY_16);
        localApic.write32(LVT_TIMER, mode | TIMER_VECTOR);
        localApic.write32(INITIAL_COUNT, (int) ticks);
    }

    private void checkCurrent() {
        int current = LocalApicRegisters.currentCpu(localApic);
        if (current != cpu.id()) {
            throw new InvalidCpuException(cpu.id(), "its APIC timer was programmed from CPU " + current
                    + "; the timer is programmed on its own CPU");
        }
    }
}

package org.astralisp.hal.ppc64.irq;

import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.TimerTicks;
import org.astralisp.machine.port.Cpu;

/**
 * One CPU's decrementer (PowerISA 3.0 Book III §6.2, DEC = SPR 22) against
 * the time base (TB = SPR 268), both at {@code /cpus/timebase-frequency}.
 *
 * <p>The decrementer cannot be stopped: its exception is pending while DEC is
 * negative, and it keeps counting. So this driver keeps the deadline itself
 * ({@code deadline}, in TB ticks; {@code NONE} while disarmed) and, on every
 * decrementer interrupt, writes DEC again — the ticks to the next deadline, or
 * the largest positive value while disarmed — and tells the handler whether a
 * deadline really passed. A DEC of n raises the exception n+1 ticks later,
 * so a timer never fires early. Intervals are at most 2^31−1 ticks (4.19 s at
 * 512 MHz); the large decrementer is not used. State is touched only on the
 * decrementer's own CPU.
 */
final class Decrementer implements Timer {

    static final int DEC = 22;
    static final int TB = 268;
    private static final long MAX_DEC = 0x7FFF_FFFFL;
    private static final long NONE = Long.MIN_VALUE;

    private final Cpu cpu;
    private final long frequency;
    private long deadline = NONE;
    private long period;

    Decrementer(Cpu cpu, long frequency) {
        this.cpu = cpu;
        this.frequency = frequency;
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
        return TimerTicks.toNanos(cpu.readSystemRegister(TB), frequency);
    }

    @Override
    public void oneShot(long nanos) {
        long ticks = TimerTicks.of(nanos, frequency, MAX_DEC);
        period = 0;
        arm(cpu.readSystemRegister(TB) + ticks);
    }

    @Override
    public void periodic(long nanos) {
        period = TimerTicks.of(nanos, frequency, MAX_DEC);
        arm(cpu.readSystemRegister(TB) + period);
    }

    @Override
    public void cancel() {
        period = 0;
        deadline = NONE;
        cpu.writeSystemRegister(DEC, MAX_DEC);
    }

    @Override
    public boolean expired() {
        long now = cpu.readSystemRegister(TB);
        if (deadline == NONE) {
            cpu.writeSystemRegister(DEC, MAX_DEC);
            return false;
        }
        if (now < deadline) {
            cpu.writeSystemRegister(DEC, deadline - now);
            return false;
        }
        if (period == 0) {
            cancel();
        } else {
            arm(deadline + ((now - deadline) / period + 1) * period);
        }
        return true;
    }

    private void arm(long at) {
        deadline = at;
        cpu.writeSystemRegister(DEC, Math.max(0, at - cpu.readSystemRegister(TB)));
    }
}

package org.astralisp.hal.riscv64.irq;

import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.TimerTicks;
import org.astralisp.machine.port.Mmio;

/**
 * Hart {@code h}'s machine timer: CLINT {@code mtimecmp[h]} (offset 0x4000 +
 * 8h) against the shared {@code mtime} (0xBFF8), counting at
 * {@code /cpus/timebase-frequency} (privileged spec §3.2.1). MTIP stays
 * asserted while {@code mtime >= mtimecmp}, so {@link #expired()} must move
 * {@code mtimecmp}: to the next period for a periodic timer (deadlines are
 * multiples of the period from the arming time, skipping periods already
 * missed: no drift, no burst), or to 2^64−1 for a one-shot.
 *
 * <p>{@code next} and {@code period} are touched only on the timer's own hart.
 */
final class ClintTimer implements Timer {

    private static final long MTIMECMP = 0x4000;
    private static final long MTIME = 0xBFF8;
    private static final long NEVER = -1L;

    private final Mmio clint;
    private final int hart;
    private final long frequency;
    private long period;
    private long next;

    ClintTimer(Mmio clint, int hart, long frequency) {
        this.clint = clint;
        this.hart = hart;
        this.frequency = frequency;
    }

    @Override
    public int cpu() {
        return hart;
    }

    @Override
    public long frequency() {
        return frequency;
    }

    @Override
    public long now() {
        return TimerTicks.toNanos(clint.read64(MTIME), frequency);
    }

    @Override
    public void oneShot(long nanos) {
        long ticks = TimerTicks.of(nanos, frequency, Long.MAX_VALUE / 2);
        period = 0;
        arm(clint.read64(MTIME) + ticks);
    }

    @Override
    public void periodic(long nanos) {
        period = TimerTicks.of(nanos, frequency, Long.MAX_VALUE / 2);
        arm(clint.read64(MTIME) + period);
    }

    @Override
    public void cancel() {
        period = 0;
        arm(NEVER);
    }

    @Override
    public boolean expired() {
        if (period == 0) {
            arm(NEVER);
        } else {
            long now = clint.read64(MTIME);
            long missed = Long.compareUnsigned(now, next) >= 0 ? (now - next) / period + 1 : 0;
            arm(next + missed * period);
        }
        return true;
    }

    private void arm(long deadline) {
        next = deadline;
        clint.write64(MTIMECMP + 8L * hart, deadline);
    }
}

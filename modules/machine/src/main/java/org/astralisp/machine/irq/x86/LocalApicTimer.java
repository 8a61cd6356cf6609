package org.astralisp.machine.irq.x86;

import org.astralisp.machine.irq.Alarm;
import org.astralisp.machine.irq.TickClock;

/**
 * The local APIC timer (Intel SDM Vol. 3A §11.5.4): the LVT timer entry, the initial-count,
 * current-count and divide-configuration registers, and the IA32_TSC_DEADLINE MSR.
 *
 * <p>In one-shot and periodic mode the counter starts at the initial count when that register
 * is written (writing 0 stops it) and counts down once every {@code divisor} bus-clock ticks;
 * reaching 0 is an expiry. One-shot stops at 0; periodic reloads the initial count, so the k-th
 * expiry is at {@code start + k * initial * divisor} bus ticks, without drift. In TSC-deadline
 * mode (§11.5.4.1) the timer expires when the TSC reaches the deadline MSR, which then reads 0;
 * the count registers are inert. Changing between TSC-deadline and the other modes disarms the
 * timer. A masked timer still counts and expires; it only raises no interrupt.
 *
 * <p>Deadlines go to an {@link Alarm}; whether an expiry happened is decided by
 * {@link #expire(long)} from the time, so a stale alarm does nothing. Periodic expiries closer
 * together than {@link #MINIMUM_PERIOD_NANOS} are coalesced (the IRR would coalesce them anyway
 * unless the CPU keeps up at that rate); the count registers still follow the programmed rate.
 *
 * <p>Not thread-safe: guarded by the owning {@link LocalApic}'s monitor.
 */
final class LocalApicTimer {

    static final int MODE_ONE_SHOT = 0;
    static final int MODE_PERIODIC = 1;
    static final int MODE_TSC_DEADLINE = 2;

    /** The shortest interval at which a periodic timer raises interrupts (20 kHz). */
    static final long MINIMUM_PERIOD_NANOS = 50_000;

    private static final int LVT_WRITABLE = 0x0007_00FF;
    private static final int DIVIDE_WRITABLE = 0xB;
    private static final int[] DIVISORS = {2, 4, 8, 16, 32, 64, 128, 1};

    private final TickClock busClock;
    private final TickClock tsc;
    private final Alarm alarm;

    private int lvt = LocalApic.LVT_MASKED;
    private int divideConfiguration;
    private long initialCount; // unsigned 32-bit
    private boolean counting;
    private long startTick; // bus tick at which the current count was initialCount
    private long expiriesSeen; // periodic: expiries already raised since startTick
    private long deadline; // TSC-deadline MSR; 0 = disarmed

    LocalApicTimer(TickClock busClock, TickClock tsc, Alarm alarm) {
        this.busClock = busClock;
        this.tsc = tsc;
        this.alarm = alarm;
    }

    int lvt() {
        return lvt;
    }

    int mode() {
        return (lvt >>> 17) & 3;
    }

    boolean masked() {
        return (lvt & LocalApic.LVT_MASKED) != 0;
    }

    int vector() {
        return lvt & 0xFF;
    }

    /**
     * Writes the LVT timer entry. The caller has checked the mode field is not the reserved 3
     * and forced the mask bit while the APIC is software-disabled.
     */
    void writeLvt(int value, long now) {
        int oldMode = mode();
        lvt = value & LVT_WRITABLE;
        int newMode = mode();
        if ((oldMode == MODE_TSC_DEADLINE) != (newMode == MODE_TSC_DEADLINE)) {
            counting = false;
            initialCount = 0;
            deadline = 0;
        }
        schedule(now);
    }

    /** Forces the mask bit (the APIC was software-disabled). */
    void mask() {
        lvt |= LocalApic.LVT_MASKED;
    }

    long initialCount() {
        return initialCount;
    }

    /** Starts (non-zero) or stops (zero) the count; ignored in TSC-deadline mode. */
    void writeInitialCount(long value, long now) {
        if (mode() == MODE_TSC_DEADLINE) {
            return;
        }
        initialCount = value & 0xFFFF_FFFFL;
        counting = initialCount != 0;
        startTick = busClock.ticksAt(now);
        expiriesSeen = 0;
        schedule(now);
    }

    /** The current-count register: 0 when stopped, expired (one-shot) or in TSC-deadline mode. */
    long currentCount(long now) {
        if (!counting || mode() == MODE_TSC_DEADLINE) {
            return 0;
        }
        long units = unitsSinceStart(now);
        if (mode() == MODE_PERIODIC) {
            return initialCount - units % initialCount;
        }
        return Math.max(0, initialCount - units);
    }

    int divideConfiguration() {
        return divideConfiguration;
    }

    /** A new divisor continues the count from its current value at the new rate. */
    void writeDivideConfiguration(int value, long now) {
        if (counting && mode() != MODE_TSC_DEADLINE) {
            long done = unitsSinceStart(now);
            long intoPeriod = mode() == MODE_PERIODIC ? done % initialCount : Math.min(done, initialCount);
            divideConfiguration = value & DIVIDE_WRITABLE;
            startTick = busClock.ticksAt(now) - intoPeriod * divisor();
            expiriesSeen = 0;
        } else {
            divideConfiguration = value & DIVIDE_WRITABLE;
        }
        schedule(now);
    }

    /** The IA32_TSC_DEADLINE MSR: reads 0 outside TSC-deadline mode (§11.5.4.1). */
    long tscDeadline() {
        return mode() == MODE_TSC_DEADLINE ? deadline : 0;
    }

    /** Arms (non-zero) or disarms (zero) the deadline; ignored outside TSC-deadline mode. */
    void writeTscDeadline(long value, long now) {
        if (mode() != MODE_TSC_DEADLINE) {
            return;
        }
        deadline = value;
        schedule(now);
    }

    /**
     * Whether the timer expired by {@code now} since the last call that said so; if it did,
     * advances its state (one-shot stops, periodic moves to the next period, the deadline MSR
     * clears) and re-arms the alarm. The caller raises the LVT vector unless masked.
     */
    boolean expire(long now) {
        boolean expired = false;
        switch (mode()) {
            case MODE_TSC_DEADLINE -> {
                if (deadline != 0 && Long.compareUnsigned(tsc.ticksAt(now), deadline) >= 0) {
                    deadline = 0;
                    expired = true;
                }
            }
            case MODE_PERIODIC -> {
                if (counting) {
                    long periods = unitsSinceStart(now) / initialCount;
                    expired = periods > expiriesSeen;
                    expiriesSeen = Math.max(expiriesSeen, periods);
                }
            }
            default -> {
                if (counting && unitsSinceStart(now) >= initialCount) {
                    counting = false;
                    expired = true;
                }
            }
        }
        schedule(now);
        return expired;
    }

    private long divisor() {
        int config = divideConfiguration;
        return DIVISORS[((config & 8) >>> 1) | (config & 3)];
    }

    private long unitsSinceStart(long now) {
        return (busClock.ticksAt(now) - startTick) / divisor();
    }

    /** Arms the alarm for the next expiry, or disarms it if there is none. */
    private void schedule(long now) {
        if (mode() == MODE_TSC_DEADLINE) {
            if (deadline != 0 && tsc.reachable(deadline)) {
                alarm.arm(tsc.nanoTimeOf(deadline));
            } else {
                alarm.disarm();
            }
            return;
        }
        if (!counting) {
            alarm.disarm();
            return;
        }
        long expiries = mode() == MODE_PERIODIC ? expiriesSeen + 1 : 1;
        long tick = startTick + expiries * initialCount * divisor();
        long at = busClock.nanoTimeOf(tick);
        if (mode() == MODE_PERIODIC && at - now < MINIMUM_PERIOD_NANOS) {
            at = now + MINIMUM_PERIOD_NANOS;
        }
        alarm.arm(at);
    }
}

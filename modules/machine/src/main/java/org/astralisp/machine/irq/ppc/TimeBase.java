package org.astralisp.machine.irq.ppc;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.port.MachineCheckException;

/**
 * The time base (PowerISA 3.0, Book II "Time Base" and Book III "Timer Facilities"): a 64-bit counter at
 * {@link #FREQUENCY_HZ}, shared by all threads of the machine, read with {@code mftb}
 * (SPR 268, TB) and {@code mftbu} (SPR 269, the upper 32 bits). Writing it takes the hypervisor
 * SPRs 284/285, which this model does not implement; writing SPR 268 or 269 is refused. The
 * decrementers count at the same frequency. Immutable; thread-safe.
 */
public final class TimeBase {

    /** POWER9's time-base frequency ({@code timebase-frequency} in the device tree). */
    public static final long FREQUENCY_HZ = 512_000_000L;
    public static final int SPR_TB = 268;
    public static final int SPR_TBU = 269;

    private final TickClock clock;
    private final SystemRegister tb = new Register(SPR_TB, 0);
    private final SystemRegister tbu = new Register(SPR_TBU, 32);

    public TimeBase(TickClock clock) {
        if (clock.hertz() != FREQUENCY_HZ) {
            throw new IllegalArgumentException("the time base runs at " + FREQUENCY_HZ + " Hz, not " + clock.hertz());
        }
        this.clock = clock;
    }

    /** A time base that reads 0 now. */
    public static TimeBase startingNow() {
        return new TimeBase(TickClock.startingNow(FREQUENCY_HZ));
    }

    /** The time base at {@code nanoTime}. */
    public long at(long nanoTime) {
        return clock.ticksAt(nanoTime);
    }

    /** The time base now. */
    public long now() {
        return clock.ticksNow();
    }

    /** The host time at which the time base reaches {@code ticks} (less than 146 years from power-on). */
    long nanoTimeOf(long ticks) {
        return clock.nanoTimeOf(ticks);
    }

    public SystemRegister tb() {
        return tb;
    }

    public SystemRegister tbu() {
        return tbu;
    }

    /** SPR 268 or 269. */
    private final class Register implements SystemRegister {

        private final int number;
        private final int shift;

        Register(int number, int shift) {
            this.number = number;
            this.shift = shift;
        }

        @Override
        public long read() {
            return now() >>> shift;
        }

        @Override
        public void write(long value) {
            throw new MachineCheckException("mtspr " + number + ": the time base is read-only (SPRs 284/285, "
                    + "hypervisor, are not modelled)");
        }
    }
}

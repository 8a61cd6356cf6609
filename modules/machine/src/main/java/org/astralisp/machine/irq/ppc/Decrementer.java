package org.astralisp.machine.irq.ppc;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.Alarm;
import org.astralisp.machine.irq.TimerScheduler;

/**
 * One thread's decrementer, DEC (SPR 22; PowerISA 3.0 Book III, "Decrementer" in Timer
 * Facilities, and the Decrementer interrupt, §6.5): a 32-bit
 * register that decrements at the time-base frequency, and the decrementer exception (vector
 * 0x900) that is pending while its most significant bit is 1, i.e. while DEC is negative.
 *
 * <p>The large decrementer (LPCR[LD]) is not modelled: {@code mfspr} returns the 32-bit value
 * sign-extended, {@code mtspr} takes the low 32 bits. DEC keeps counting through negative values
 * and wraps to positive after 2^31 more ticks, as the hardware does; the exception is pending
 * exactly while the value is negative, so the OS clears it by writing a non-negative value.
 * Taking the interrupt changes nothing.
 *
 * <p>The value at time {@code t} is {@code (int) (written - (TB(t) - TB(write)))}. An
 * {@link Alarm} kicks the CPU at each instant the value becomes negative: {@code written + 1}
 * ticks after the write, and every 2^32 ticks after that. Guarded by this object's monitor; the
 * CPU is kicked after it is released.
 */
public final class Decrementer implements InterruptSource, SystemRegister {

    public static final int SPR_DEC = 22;
    /** The decrementer interrupt's vector offset, its cause. */
    public static final long CAUSE = 0x900;

    private static final long WRAP = 1L << 32;

    private final VirtualCpuSignals cpu;
    private final TimeBase timeBase;
    private final Alarm alarm;
    private int written = Integer.MAX_VALUE;
    private long writtenAt; // time base at the last write
    private long taken;

    /** A decrementer of {@code cpu} reading {@code 0x7FFFFFFF} now, about 4.2 s before it goes negative. */
    public Decrementer(VirtualCpuSignals cpu, TimeBase timeBase, TimerScheduler timers) {
        this.cpu = cpu;
        this.timeBase = timeBase;
        this.alarm = timers.alarm(this::alarm);
        synchronized (this) {
            writtenAt = timeBase.now();
            schedule(writtenAt);
        }
    }

    @Override
    public synchronized long read() {
        return value(timeBase.now());
    }

    @Override
    public void write(long value) {
        boolean negative;
        synchronized (this) {
            written = (int) value;
            writtenAt = timeBase.now();
            negative = written < 0;
            schedule(writtenAt);
        }
        if (negative) {
            cpu.kick();
        }
    }

    @Override
    public synchronized boolean pending() {
        return value(timeBase.now()) < 0;
    }

    @Override
    public synchronized long acknowledge() {
        taken++;
        return CAUSE;
    }

    /** How many decrementer interrupts this CPU took. */
    public synchronized long taken() {
        return taken;
    }

    private int value(long tb) {
        return (int) (written - (tb - writtenAt));
    }

    /** Arms the alarm for the next instant after {@code tb} at which DEC turns negative. */
    private void schedule(long tb) {
        long first = writtenAt + Integer.toUnsignedLong(written + 1);
        long next = tb < first ? first : first + ((tb - first) / WRAP + 1) * WRAP;
        alarm.arm(timeBase.nanoTimeOf(next));
    }

    private void alarm() {
        boolean negative;
        synchronized (this) {
            long tb = timeBase.now();
            negative = value(tb) < 0;
            schedule(tb);
        }
        if (negative) {
            cpu.kick();
        }
    }
}

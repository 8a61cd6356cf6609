package org.astralisp.machine.device.rtc;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.Alarm;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;

/**
 * The goldfish RTC of the Android emulator (QEMU {@code hw/rtc/goldfish_rtc.c},
 * Linux binding rtc/google,goldfish-rtc.txt, driver {@code rtc-goldfish.c}):
 * a 64-bit count of nanoseconds since the Unix epoch and one alarm. Registers
 * are 32 bits wide at 4-byte-aligned offsets, little-endian:
 *
 * <pre>
 * 0x00 TIME_LOW         r: latches the time, returns bits 31:0   w: sets the time to TIME_HIGH:value
 * 0x04 TIME_HIGH        r: bits 63:32 of the last latched time   w: holds bits 63:32 for the next TIME_LOW write
 * 0x08 ALARM_LOW        r: bits 31:0 of the alarm time           w: arms the alarm at ALARM_HIGH:value
 * 0x0C ALARM_HIGH       r: bits 63:32 of the alarm time          w: holds bits 63:32 for the next ALARM_LOW write
 * 0x10 IRQ_ENABLED      rw: bit 0
 * 0x14 CLEAR_ALARM      w: disarms the alarm
 * 0x18 ALARM_STATUS     r: 1 while the alarm is armed and has not gone off
 * 0x1C CLEAR_INTERRUPT  w: clears the interrupt
 * </pre>
 *
 * <p>Time is the host's wall clock ({@link Clock#instant()}, with its
 * nanoseconds) plus an offset the guest sets by writing TIME_HIGH then
 * TIME_LOW, as QEMU keeps it. When the time reaches an armed alarm the alarm
 * stops (ALARM_STATUS 0) and the interrupt becomes pending; an alarm time
 * already past fires at once. The line is level: asserted while the interrupt
 * is pending and IRQ_ENABLED is 1, until CLEAR_INTERRUPT (QEMU's semantics;
 * ALARM_STATUS means "alarm running", so it is 0 while the interrupt is
 * pending). Other widths and offsets are machine checks.
 *
 * <p>Locking: all state is guarded by this object's monitor, entered by vCPU
 * threads and by the machine's timer thread when the alarm's deadline passes;
 * the line is raised or lowered under it (lock order: RTC, then interrupt
 * controller). The timer only makes the RTC look at the clock.
 */
public final class GoldfishRtc implements MmioDevice {

    /** The register window the boards give the RTC. */
    public static final long SIZE = 0x1000;

    static final int TIME_LOW = 0x00;
    static final int TIME_HIGH = 0x04;
    static final int ALARM_LOW = 0x08;
    static final int ALARM_HIGH = 0x0C;
    static final int IRQ_ENABLED = 0x10;
    static final int CLEAR_ALARM = 0x14;
    static final int ALARM_STATUS = 0x18;
    static final int CLEAR_INTERRUPT = 0x1C;

    private final String name;
    private final Clock clock;
    private final IrqLine irq;
    private final Alarm alarm;

    private long offsetNanos;
    private long latchedHigh;
    private long timeHighWritten;
    private long alarmHighWritten;
    private long alarmAt;
    private boolean alarmRunning;
    private boolean interruptPending;
    private boolean irqEnabled;
    private boolean lineAsserted;

    /** An RTC on {@code clock}'s time, driving {@code irq}, keeping its alarm on {@code timers}. */
    public GoldfishRtc(String name, Clock clock, IrqLine irq, TimerScheduler timers) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.alarm = timers.alarm(this::checkAlarm);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkAccess(false, offset, width);
        return switch ((int) offset) {
            case TIME_LOW -> {
                long now = now();
                latchedHigh = now >>> 32;
                yield now & 0xFFFF_FFFFL;
            }
            case TIME_HIGH -> latchedHigh;
            case ALARM_LOW -> alarmAt & 0xFFFF_FFFFL;
            case ALARM_HIGH -> alarmAt >>> 32;
            case IRQ_ENABLED -> irqEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmRunning ? 1 : 0;
            case CLEAR_ALARM -> throw RegisterFaults.writeOnly(name, offset, width, "CLEAR_ALARM");
            default -> throw RegisterFaults.writeOnly(name, offset, width, "CLEAR_INTERRUPT");
        };
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkAccess(true, offset, width);
        long word = value & 0xFFFF_FFFFL;
        switch ((int) offset) {
            case TIME_LOW -> offsetNanos = ((timeHighWritten << 32) | word) - hostNanos();
            case TIME_HIGH -> timeHighWritten = word;
            case ALARM_LOW -> armAlarm((alarmHighWritten << 32) | word);
            case ALARM_HIGH -> alarmHighWritten = word;
            case IRQ_ENABLED -> irqEnabled = (word & 1) != 0;
            case CLEAR_ALARM -> {
                alarmRunning = false;
                alarm.disarm();
            }
            case ALARM_STATUS -> throw RegisterFaults.readOnly(name, offset, width, "ALARM_STATUS");
            default -> interruptPending = false;
        }
        updateLine();
    }

    private void checkAccess(boolean write, long offset, int width) {
        if (width != 4 || (offset & 3) != 0) {
            throw RegisterFaults.badWidth(name, write, offset, width, "goldfish RTC registers are aligned 32-bit words");
        }
        if (offset < 0 || offset > CLEAR_INTERRUPT) {
            throw RegisterFaults.noRegister(name, write, offset, width);
        }
    }

    private long hostNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private long now() {
        return hostNanos() + offsetNanos;
    }

    private void armAlarm(long at) {
        alarmAt = at;
        alarmRunning = true;
        long delay = at - now();
        if (delay <= 0) {
            fire();
        } else {
            alarm.arm(System.nanoTime() + delay);
        }
    }

    /** Timer thread: the deadline passed, or a stale one did; decide from the clock. */
    private synchronized void checkAlarm() {
        if (!alarmRunning) {
            return;
        }
        long delay = alarmAt - now();
        if (delay <= 0) {
            fire();
            updateLine();
        } else {
            alarm.arm(System.nanoTime() + delay);
        }
    }

    private void fire() {
        alarmRunning = false;
        interruptPending = true;
    }

    private void updateLine() {
        boolean asserted = interruptPending && irqEnabled;
        if (asserted != lineAsserted) {
            lineAsserted = asserted;
            if (asserted) {
                irq.raise();
            } else {
                irq.lower();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

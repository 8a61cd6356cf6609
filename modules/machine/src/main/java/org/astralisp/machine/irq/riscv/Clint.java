package org.astralisp.machine.irq.riscv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.Alarm;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.MachineCheckException;

/**
 * The core-local interruptor (SiFive CLINT layout, which is the RISC-V ACLINT's MSWI device at
 * offset 0 followed by its MTIMER device at 0x4000): per hart a machine software-interrupt bit
 * and a timer compare register, and the shared {@code mtime} counter at {@link #TIMEBASE_HZ}.
 *
 * <p>Register map (little-endian): {@code msip[h]} at {@code 0x0000 + 4h} (32-bit; bit 0 is
 * {@code mip.MSIP} of hart {@code h}, the other bits read 0); {@code mtimecmp[h]} at
 * {@code 0x4000 + 8h} (64-bit, or two 32-bit halves; reset {@code 2^64 − 1}, never);
 * {@code mtime} at {@code 0xBFF8} (64-bit or halves, writable: a write sets the counter, which
 * keeps counting from there). Other offsets and widths are machine checks.
 *
 * <p>Timer: hart {@code h}'s {@code mip.MTIP} is {@code mtime >= mtimecmp[h]} (unsigned),
 * evaluated when asked, so it clears as soon as {@code mtimecmp} is moved past {@code mtime}
 * (privileged spec §3.2.1). Each hart has an {@link Alarm} armed for the instant {@code mtime}
 * reaches its compare value; it only kicks the hart.
 *
 * <p>Locking: state is guarded by this object's monitor; harts are kicked after it is released.
 */
public final class Clint implements MmioDevice {

    /** QEMU virt's CLINT base. */
    public static final long DEFAULT_BASE = 0x0200_0000L;
    /** {@code timebase-frequency}: QEMU virt's 10 MHz. */
    public static final long TIMEBASE_HZ = 10_000_000L;
    /** The {@code time} CSR ({@code rdtime}): a read-only shadow of {@code mtime}. */
    public static final int CSR_TIME = 0xC01;

    static final int MSIP_BASE = 0x0000;
    static final int MTIMECMP_BASE = 0x4000;
    static final int MTIME = 0xBFF8;

    private static final String NAME = "clint";
    private static final long SIZE = 0x1_0000;

    private final List<? extends VirtualCpuSignals> harts;
    private final TickClock clock;
    private final boolean[] softwarePending;
    private final long[] compare;
    private final List<Alarm> alarms = new ArrayList<>();
    private final SystemRegister time = new TimeRegister();
    private long mtimeOffset; // mtime = clock ticks + offset

    public Clint(List<? extends VirtualCpuSignals> harts, TimerScheduler timers, TickClock clock) {
        this.harts = List.copyOf(harts);
        this.clock = clock;
        this.softwarePending = new boolean[harts.size()];
        this.compare = new long[harts.size()];
        Arrays.fill(compare, -1L);
        for (VirtualCpuSignals hart : this.harts) {
            alarms.add(timers.alarm(hart::kick));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return SIZE;
    }

    /** The {@code time} CSR of every hart. */
    public SystemRegister timeRegister() {
        return time;
    }

    /** {@code mip.MSIP} of hart {@code hart}. */
    public synchronized boolean softwarePending(int hart) {
        return softwarePending[hart];
    }

    /** {@code mip.MTIP} of hart {@code hart}. */
    public synchronized boolean timerPending(int hart) {
        return Long.compareUnsigned(mtime(), compare[hart]) >= 0;
    }

    @Override
    public synchronized long read(long offset, int width) {
        Register register = decode(offset, width, false);
        long value = switch (register.kind) {
            case MSIP_BASE -> softwarePending[register.hart] ? 1 : 0;
            case MTIMECMP_BASE -> compare[register.hart];
            default -> mtime();
        };
        return width == 8 ? value : (value >>> (8 * register.shift)) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int width, long value) {
        Register register;
        boolean kick = false;
        synchronized (this) {
            register = decode(offset, width, true);
            switch (register.kind) {
                case MSIP_BASE -> {
                    softwarePending[register.hart] = (value & 1) != 0;
                    kick = softwarePending[register.hart];
                }
                case MTIMECMP_BASE -> {
                    compare[register.hart] = merge(compare[register.hart], register.shift, width, value);
                    kick = schedule(register.hart);
                }
                default -> mtimeOffset = merge(mtime(), register.shift, width, value) - clock.ticksNow();
            }
        }
        if (register.kind == MTIME) {
            rescheduleAll();
        } else if (kick) {
            harts.get(register.hart).kick();
        }
    }

    private long mtime() {
        return clock.ticksNow() + mtimeOffset;
    }

    /** Arms hart {@code hart}'s alarm for its compare value; returns whether MTIP is set already. */
    private boolean schedule(int hart) {
        Alarm alarm = alarms.get(hart);
        if (Long.compareUnsigned(mtime(), compare[hart]) >= 0) {
            alarm.disarm();
            return true;
        }
        long ticks = compare[hart] - mtimeOffset; // negative: beyond 2^63, or overflowed: never
        if (compare[hart] >= 0 && clock.reachable(ticks)) {
            alarm.arm(clock.nanoTimeOf(ticks));
        } else {
            alarm.disarm();
        }
        return false;
    }

    private void rescheduleAll() {
        for (int hart = 0; hart < harts.size(); hart++) {
            boolean kick;
            synchronized (this) {
                kick = schedule(hart);
            }
            if (kick) {
                harts.get(hart).kick();
            }
        }
    }

    private static long merge(long old, int shift, int width, long value) {
        if (width == 8) {
            return value;
        }
        long mask = 0xFFFF_FFFFL << (8 * shift);
        return (old & ~mask) | ((value & 0xFFFF_FFFFL) << (8 * shift));
    }

    /** Which register an access hits: kind (its region base), hart, byte shift within a 64-bit register. */
    private record Register(int kind, int hart, int shift) {
    }

    private Register decode(long offset, int width, boolean write) {
        if (offset >= MSIP_BASE && offset < MSIP_BASE + 4L * harts.size()) {
            if (width != 4 || (offset & 3) != 0) {
                throw RegisterFaults.badWidth(NAME, write, offset, width, "msip is a 32-bit register");
            }
            return new Register(MSIP_BASE, (int) (offset - MSIP_BASE) / 4, 0);
        }
        boolean timer = offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8L * harts.size();
        if (!timer && offset != MTIME && offset != MTIME + 4) {
            throw RegisterFaults.noRegister(NAME, write, offset, width);
        }
        if (!(width == 8 && (offset & 7) == 0) && !(width == 4 && (offset & 3) == 0)) {
            throw RegisterFaults.badWidth(NAME, write, offset, width,
                    "mtime and mtimecmp are 64-bit registers, accessed whole or by aligned 32-bit halves");
        }
        int shift = (int) (offset & 7);
        return timer ? new Register(MTIMECMP_BASE, (int) (offset - MTIMECMP_BASE) / 8, shift)
                : new Register(MTIME, -1, shift);
    }

    /** The {@code time} CSR: reads {@code mtime}; writing it is an illegal instruction. */
    private final class TimeRegister implements SystemRegister {

        @Override
        public long read() {
            synchronized (Clint.this) {
                return mtime();
            }
        }

        @Override
        public void write(long value) {
            throw new MachineCheckException("csrw time (0xC01): the time CSR is read-only");
        }
    }
}

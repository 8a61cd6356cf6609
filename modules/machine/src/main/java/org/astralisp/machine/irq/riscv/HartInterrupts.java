package org.astralisp.machine.irq.riscv;

import java.util.List;
import java.util.Map;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;

/**
 * One hart's interrupt-pending and interrupt-enable bits (RISC-V privileged specification 1.12,
 * §3.1.9 "Machine Interrupt Registers (mip and mie)") and one interrupt source per bit, in the
 * specification's priority order MEI > MSI > MTI > SEI > SSI > STI.
 *
 * <p>The OS runs in M-mode on this machine and does not delegate ({@code mideleg} is not
 * implemented, i.e. 0), so every interrupt traps to M-mode and its cause is an {@code mcause}
 * value: bit 63 set and exception code 11 MEI, 3 MSI, 7 MTI, 9 SEI, 1 SSI, 5 STI. The hart has
 * the supervisor bits a hart with S-mode has, because the PLIC's odd contexts (the device
 * tree's supervisor-external inputs, as on QEMU virt) drive SEIP; M-mode software may also set
 * SSIP, STIP and SEIP itself, e.g. to post itself low-priority work.
 *
 * <p>Inputs: MEIP = PLIC context {@code 2h}, SEIP = PLIC context {@code 2h + 1} OR the
 * software-written SEIP, MSIP = CLINT {@code msip[h]}, MTIP = CLINT
 * {@code mtime >= mtimecmp[h]}; SSIP and STIP are software-written only. A source is pending
 * while its {@code mip} bit and its {@code mie} bit are both set; the global enable
 * {@code mstatus.MIE} is the vCPU's {@code enableInterrupts()}. Taking an interrupt changes
 * nothing here: the OS clears the condition where it arises (PLIC claim, {@code msip},
 * {@code mtimecmp}, or {@code mip} for the software-written bits).
 *
 * <p>CSRs: {@code mie} (0x304) implements MEIE, MSIE, MTIE, SEIE, SSIE, STIE (other bits read
 * 0); {@code mip} (0x344) reads the inputs above, writes change only SSIP, STIP and SEIP. Both
 * are volatile; a write that makes a source pending kicks the hart.
 */
public final class HartInterrupts {

    public static final long SUPERVISOR_SOFTWARE = Long.MIN_VALUE | 1;
    public static final long MACHINE_SOFTWARE = Long.MIN_VALUE | 3;
    public static final long SUPERVISOR_TIMER = Long.MIN_VALUE | 5;
    public static final long MACHINE_TIMER = Long.MIN_VALUE | 7;
    public static final long SUPERVISOR_EXTERNAL = Long.MIN_VALUE | 9;
    public static final long MACHINE_EXTERNAL = Long.MIN_VALUE | 11;
    public static final int CSR_MIE = 0x304;
    public static final int CSR_MIP = 0x344;

    static final long SSIP = 1L << 1;
    static final long MSIP = 1L << 3;
    static final long STIP = 1L << 5;
    static final long MTIP = 1L << 7;
    static final long SEIP = 1L << 9;
    static final long MEIP = 1L << 11;
    private static final long IMPLEMENTED = SSIP | MSIP | STIP | MTIP | SEIP | MEIP;
    private static final long SOFTWARE_WRITABLE = SSIP | STIP | SEIP;

    private final int hart;
    private final VirtualCpuSignals cpu;
    private final Plic plic;
    private final Clint clint;
    private final DeliveryCounters taken;
    private final List<InterruptSource> sources;
    private final Map<Integer, SystemRegister> registers = Map.of(CSR_MIE, new Mie(), CSR_MIP, new Mip());
    private volatile long mie;
    private volatile long mipWritten;

    /**
     * The bits of hart {@code cpu} (PLIC contexts {@code 2h} and {@code 2h + 1}, CLINT hart
     * {@code h}, for {@code h = cpu.id()}); {@code taken} counts interrupts taken per hart and
     * exception code.
     */
    public HartInterrupts(VirtualCpuSignals cpu, Plic plic, Clint clint, DeliveryCounters taken) {
        this.hart = cpu.id();
        this.cpu = cpu;
        this.plic = plic;
        this.clint = clint;
        this.taken = taken;
        this.sources = List.of(new Source(MEIP, MACHINE_EXTERNAL), new Source(MSIP, MACHINE_SOFTWARE),
                new Source(MTIP, MACHINE_TIMER), new Source(SEIP, SUPERVISOR_EXTERNAL),
                new Source(SSIP, SUPERVISOR_SOFTWARE), new Source(STIP, SUPERVISOR_TIMER));
    }

    /** The sources in priority order: MEI, MSI, MTI, SEI, SSI, STI. */
    public List<InterruptSource> sources() {
        return sources;
    }

    /** {@code mie} and {@code mip}. */
    public Map<Integer, SystemRegister> registers() {
        return registers;
    }

    /** The current {@code mip}. */
    public long mip() {
        return mipWritten | (plic.externalPending(2 * hart) ? MEIP : 0)
                | (plic.externalPending(2 * hart + 1) ? SEIP : 0) | (clint.softwarePending(hart) ? MSIP : 0)
                | (clint.timerPending(hart) ? MTIP : 0);
    }

    private void kickIfPending() {
        if ((mie & mip()) != 0) {
            cpu.kick();
        }
    }

    /** One {@code mip} bit as an interrupt source. */
    private final class Source implements InterruptSource {

        private final long bit;
        private final long cause;

        Source(long bit, long cause) {
            this.bit = bit;
            this.cause = cause;
        }

        @Override
        public boolean pending() {
            return (mie & bit) != 0 && (mip() & bit) != 0;
        }

        @Override
        public long acknowledge() {
            taken.increment(hart, (int) cause);
            return cause;
        }
    }

    private final class Mie implements SystemRegister {

        @Override
        public long read() {
            return mie;
        }

        @Override
        public void write(long value) {
            mie = value & IMPLEMENTED;
            kickIfPending();
        }
    }

    private final class Mip implements SystemRegister {

        @Override
        public long read() {
            return mip();
        }

        @Override
        public void write(long value) {
            mipWritten = value & SOFTWARE_WRITABLE;
            kickIfPending();
        }
    }
}

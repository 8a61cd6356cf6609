package org.astralisp.hal.riscv64.irq;

import java.util.Comparator;
import java.util.List;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.InvalidLineException;
import org.astralisp.hal.api.irq.InvalidPriorityException;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.MmioSpace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

/**
 * The PLIC (RISC-V PLIC specification 1.0.0) for device lines and the CLINT's
 * {@code msip} (SiFive CLINT / ACLINT MSWI) for IPIs, for an OS running in
 * M-mode: hart {@code h} uses PLIC context {@code 2h}, its MEIP
 * (docs/interrupts.md).
 *
 * <p>Lines are PLIC sources {@code 1..riscv,ndev}; priorities and thresholds
 * are the PLIC's own (1..7 and 0..7, delivered while priority &gt; threshold).
 * Affinity is the enable bits: an enabled line has its bit set in the context
 * of exactly the hart it is routed to, and in no other. The enable words are
 * shared by 32 sources, so every read-modify-write of them is under this
 * object's monitor.
 *
 * <p>Causes ({@code mcause}, privileged spec §3.1.15): 2^63|11 machine
 * external (claim from the PLIC), 2^63|3 machine software (an IPI: claiming
 * clears {@code msip} first, so an IPI sent during the handler is not lost),
 * 2^63|7 machine timer.
 */
@Component(service = InterruptController.class, property = "arch=riscv64")
public final class PlicInterruptController implements InterruptController {

    static final String NAME = "plic+clint";
    static final int MAX_PRIORITY = 7;
    static final long MACHINE_EXTERNAL = 0x8000_0000_0000_000BL;
    static final long MACHINE_SOFTWARE = 0x8000_0000_0000_0003L;
    static final long MACHINE_TIMER = 0x8000_0000_0000_0007L;
    /** {@code mie} CSR and its MEIE, MTIE, MSIE bits (privileged spec §3.1.9). */
    static final int MIE = 0x304;
    private static final long MIE_MACHINE = 1L << 11 | 1L << 7 | 1L << 3;

    private static final int ENABLE_BASE = 0x2000;
    private static final int ENABLE_STRIDE = 0x80;
    private static final int CONTEXT_BASE = 0x20_0000;
    private static final int CONTEXT_STRIDE = 0x1000;
    private static final int CLAIM = 4;

    private final Mmio plic;
    private final Mmio clint;
    private final List<Cpu> harts;
    private final int lastLine;
    private final int[] target;
    private final boolean[] enabled;

    /** Finds the PLIC ({@code riscv,plic0}) and CLINT ({@code riscv,clint0}) in the device tree. */
    @Activate
    public PlicInterruptController(@Reference(target = "(arch=riscv64)") Firmware firmware, @Reference MmioSpace mmio,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<Cpu> cpus) {
        PlatformDevices platform = PlatformDevices.of(firmware.deviceTree());
        AddressRange plicRange = platform.registers("riscv,plic0");
        AddressRange clintRange = platform.registers("riscv,clint0");
        this.plic = mmio.map(plicRange.address(), plicRange.size());
        this.clint = mmio.map(clintRange.address(), clintRange.size());
        this.harts = cpus.stream().sorted(Comparator.comparingInt(Cpu::id)).toList();
        this.lastLine = (int) platform.number("riscv,plic0", "riscv,ndev");
        this.target = new int[lastLine + 1];
        this.enabled = new boolean[lastLine + 1];
        for (int line = 1; line <= lastLine; line++) {
            plic.write32(4L * line, 1);
            for (int hart = 0; hart < harts.size(); hart++) {
                setEnableBit(line, hart, false);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int cpus() {
        return harts.size();
    }

    @Override
    public int firstLine() {
        return 1;
    }

    @Override
    public int lastLine() {
        return lastLine;
    }

    @Override
    public int maxPriority() {
        return MAX_PRIORITY;
    }

    /**
     * The PLIC has no trigger setting: each source's gateway is fixed by the
     * platform, and this machine wires every device line level-triggered
     * (its device tree, docs/interrupts.md), so only {@code LEVEL} is true.
     */
    @Override
    public void configure(int line, Trigger trigger) {
        checkLine(line);
        if (trigger != Trigger.LEVEL) {
            throw new IllegalArgumentException(NAME + ": line " + line + " cannot be made " + trigger
                    + ": PLIC gateways are fixed by the platform, and this one's are level-triggered");
        }
    }

    @Override
    public void setPriority(int line, int priority) {
        checkLine(line);
        plic.write32(4L * line, InvalidPriorityException.check(NAME, "priority", priority, 1, MAX_PRIORITY));
    }

    @Override
    public synchronized void route(int line, int cpu) {
        checkLine(line);
        InvalidCpuException.check(cpu, harts.size());
        setEnableBit(line, target[line], false);
        target[line] = cpu;
        setEnableBit(line, cpu, enabled[line]);
    }

    @Override
    public synchronized void enable(int line) {
        enabled[checkLine(line)] = true;
        setEnableBit(line, target[line], true);
    }

    @Override
    public synchronized void disable(int line) {
        enabled[checkLine(line)] = false;
        setEnableBit(line, target[line], false);
    }

    /** Threshold 0 for the hart's M-mode context; MEIE, MTIE, MSIE in {@code mie}. */
    @Override
    public void initializeCpu(int cpu) {
        setThreshold(cpu, 0);
        Cpu hart = harts.get(cpu);
        hart.writeSystemRegister(MIE, hart.readSystemRegister(MIE) | MIE_MACHINE);
    }

    @Override
    public void setThreshold(int cpu, int threshold) {
        InvalidCpuException.check(cpu, harts.size());
        InvalidPriorityException.check(NAME, "threshold", threshold, 0, MAX_PRIORITY);
        plic.write32(contextRegister(cpu, 0), threshold);
    }

    @Override
    public Interrupt claim(int cpu, long cause) {
        InvalidCpuException.check(cpu, harts.size());
        if (cause == MACHINE_EXTERNAL) {
            int source = plic.read32(contextRegister(cpu, CLAIM));
            return source == 0 ? Interrupt.SPURIOUS : Interrupt.external(source);
        }
        if (cause == MACHINE_SOFTWARE) {
            clint.write32(4L * cpu, 0);
            return Interrupt.IPI;
        }
        return cause == MACHINE_TIMER ? Interrupt.TIMER : Interrupt.UNKNOWN;
    }

    /** A completion writes the claimed source back (PLIC spec §7); the other causes were cleared at their source. */
    @Override
    public void complete(int cpu, Interrupt interrupt) {
        InvalidCpuException.check(cpu, harts.size());
        if (interrupt.line() > 0) {
            plic.write32(contextRegister(cpu, CLAIM), interrupt.line());
        }
    }

    /** {@code msip[h] = 1} (CLINT offset 4h): hart h's MSIP. */
    @Override
    public void sendIpi(int cpu) {
        clint.write32(4L * InvalidCpuException.check(cpu, harts.size()), 1);
    }

    private void setEnableBit(int line, int hart, boolean on) {
        long word = ENABLE_BASE + (long) ENABLE_STRIDE * context(hart) + 4L * (line / 32);
        int bit = 1 << (line % 32);
        int value = plic.read32(word);
        plic.write32(word, on ? value | bit : value & ~bit);
    }

    private static long contextRegister(int hart, int offset) {
        return CONTEXT_BASE + (long) CONTEXT_STRIDE * context(hart) + offset;
    }

    /** Hart h's machine-mode context. */
    private static int context(int hart) {
        return 2 * hart;
    }

    private int checkLine(int line) {
        return InvalidLineException.check(NAME, line, 1, lastLine);
    }
}

package org.astralisp.machine.irq.riscv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.MmioPlacement;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;

/**
 * The riscv64 machine's interrupt hardware, laid out as QEMU's virt board: the {@link Plic}
 * with two contexts per hart ({@code 2h} drives {@code mip.MEIP}, {@code 2h + 1}
 * {@code mip.SEIP}), the {@link Clint} with {@code mtime} at {@link Clint#TIMEBASE_HZ}, and each
 * hart's {@link HartInterrupts}.
 *
 * <p>Per hart: sources MEI, MSI, MTI, SEI, SSI, STI (in that order); system registers
 * {@code mie} (0x304), {@code mip} (0x344) and {@code time} (0xC01).
 */
public final class RiscvPlatform implements InterruptPlatform {

    private final Plic plic;
    private final Clint clint;
    private final List<HartInterrupts> harts = new ArrayList<>();
    private final DeliveryCounters causes;

    /**
     * @param cpus        the harts, with ids {@code 0..n-1} in order
     * @param plicSources the PLIC's sources ({@code riscv,ndev}; QEMU virt has 95)
     */
    public RiscvPlatform(List<? extends VirtualCpuSignals> cpus, TimerScheduler timers, int plicSources) {
        List<VirtualCpuSignals> contexts = new ArrayList<>();
        for (int i = 0; i < cpus.size(); i++) {
            if (cpus.get(i).id() != i) {
                throw new IllegalArgumentException("hart " + i + " has id " + cpus.get(i).id());
            }
            contexts.add(cpus.get(i));
            contexts.add(cpus.get(i));
        }
        plic = new Plic(plicSources, contexts);
        clint = new Clint(cpus, timers, TickClock.startingNow(Clint.TIMEBASE_HZ));
        causes = new DeliveryCounters(cpus.size(), 12);
        for (VirtualCpuSignals cpu : cpus) {
            harts.add(new HartInterrupts(cpu, plic, clint, causes));
        }
    }

    @Override
    public List<MmioPlacement> mmio() {
        return List.of(new MmioPlacement(Clint.DEFAULT_BASE, clint), new MmioPlacement(Plic.DEFAULT_BASE, plic));
    }

    @Override
    public List<InterruptSource> interruptSources(int cpu) {
        return harts.get(cpu).sources();
    }

    @Override
    public Map<Integer, SystemRegister> systemRegisters(int cpu) {
        Map<Integer, SystemRegister> registers = new HashMap<>(harts.get(cpu).registers());
        registers.put(Clint.CSR_TIME, clint.timeRegister());
        return Map.copyOf(registers);
    }

    /** PLIC source {@code source} (1..{@code plicSources}), whose gateway samples it as {@code trigger}. */
    public IrqLine line(int source, TriggerMode trigger) {
        return plic.line(source, trigger);
    }

    public Plic plic() {
        return plic;
    }

    public Clint clint() {
        return clint;
    }

    public HartInterrupts hart(int cpu) {
        return harts.get(cpu);
    }

    /** Interrupts taken per hart and exception code (1, 3, 5, 7, 9, 11). */
    public DeliveryCounters causeCounters() {
        return causes;
    }
}

package org.astralisp.machine.irq.ppc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.MmioPlacement;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;

/**
 * The ppc64 machine's interrupt hardware: the {@link Xive} (one server per CPU), the shared
 * {@link TimeBase} at 512 MHz and a {@link Decrementer} per CPU.
 *
 * <p>Per CPU: sources external (0x500) then decrementer (0x900), the order of PowerISA 3.0 Book
 * III "Interrupt Priorities" (§6.8: the external exception is more favoured than the decrementer); system registers DEC
 * (SPR 22), TB (268) and TBU (269).
 */
public final class PowerPlatform implements InterruptPlatform {

    /** Where the ppc64 board puts the XIVE register block: the chip's MMIO base, as POWER9 chip 0. */
    public static final long XIVE_BASE = 0x0006_0000_0000_0000L;

    private final Xive xive;
    private final TimeBase timeBase;
    private final List<Decrementer> decrementers = new ArrayList<>();

    /** @param cpus the CPUs, with ids {@code 0..n-1} in order (XIVE server = CPU id) */
    public PowerPlatform(List<? extends VirtualCpuSignals> cpus, TimerScheduler timers) {
        for (int i = 0; i < cpus.size(); i++) {
            if (cpus.get(i).id() != i) {
                throw new IllegalArgumentException("CPU " + i + " has id " + cpus.get(i).id());
            }
        }
        xive = new Xive(cpus);
        timeBase = TimeBase.startingNow();
        for (VirtualCpuSignals cpu : cpus) {
            decrementers.add(new Decrementer(cpu, timeBase, timers));
        }
    }

    @Override
    public List<MmioPlacement> mmio() {
        return List.of(new MmioPlacement(XIVE_BASE, xive));
    }

    @Override
    public List<InterruptSource> interruptSources(int cpu) {
        return List.of(xive.externalInterrupt(cpu), decrementers.get(cpu));
    }

    @Override
    public Map<Integer, SystemRegister> systemRegisters(int cpu) {
        return Map.of(Decrementer.SPR_DEC, decrementers.get(cpu), TimeBase.SPR_TB, timeBase.tb(),
                TimeBase.SPR_TBU, timeBase.tbu());
    }

    /** XIVE device source {@code source} (1..64), a level (LSI) or edge (MSI) source. */
    public IrqLine line(int source, TriggerMode trigger) {
        return xive.line(source, trigger);
    }

    public Xive xive() {
        return xive;
    }

    public TimeBase timeBase() {
        return timeBase;
    }

    public Decrementer decrementer(int cpu) {
        return decrementers.get(cpu);
    }
}

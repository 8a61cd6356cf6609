package org.astralisp.machine.irq.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.MmioPlacement;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;

/**
 * The x86_64 machine's interrupt hardware: a local APIC per CPU behind one shared
 * {@link LocalApicPage}, one {@link IoApic} with 24 pins, the APIC bus between them, the APIC
 * timers at {@link #BUS_CLOCK_HZ} and the TSC at {@link #TSC_HZ}.
 *
 * <p>Per CPU: one interrupt source, the local APIC (INTR; the vector is the cause); system
 * registers IA32_TIME_STAMP_COUNTER (0x10) and IA32_TSC_DEADLINE (0x6E0).
 */
public final class ApicPlatform implements InterruptPlatform {

    /** The APIC timer's input clock: one tick per nanosecond before the divider. */
    public static final long BUS_CLOCK_HZ = 1_000_000_000L;
    /** The invariant TSC's frequency. */
    public static final long TSC_HZ = 2_000_000_000L;
    public static final int IA32_TSC_DEADLINE = 0x6E0;

    private final List<LocalApic> localApics = new ArrayList<>();
    private final LocalApicPage page;
    private final IoApic ioApic;
    private final TimeStampCounter tsc;
    private final DeliveryCounters counters;

    /**
     * @param cpus       the vCPUs, with ids {@code 0..n-1} in order (APIC ID = CPU id), at most 255
     * @param timers     the machine's timer thread
     * @param currentCpu the id of the vCPU on the calling thread, negative for other threads
     *                   (see {@link LocalApicPage})
     */
    public ApicPlatform(List<? extends VirtualCpuSignals> cpus, TimerScheduler timers, IntSupplier currentCpu) {
        long powerOn = System.nanoTime();
        TickClock busClock = new TickClock(BUS_CLOCK_HZ, powerOn);
        TickClock tscClock = new TickClock(TSC_HZ, powerOn);
        ApicBus bus = new ApicBus();
        counters = new DeliveryCounters(cpus.size(), 256);
        for (int i = 0; i < cpus.size(); i++) {
            if (cpus.get(i).id() != i) {
                throw new IllegalArgumentException("CPU " + i + " has id " + cpus.get(i).id());
            }
            LocalApic apic = new LocalApic(cpus.get(i), bus, timers, busClock, tscClock, counters);
            bus.attach(apic);
            localApics.add(apic);
        }
        page = new LocalApicPage(localApics, currentCpu);
        ioApic = new IoApic(bus);
        bus.attach(ioApic);
        tsc = new TimeStampCounter(tscClock);
    }

    @Override
    public List<MmioPlacement> mmio() {
        return List.of(new MmioPlacement(LocalApicPage.DEFAULT_BASE, page),
                new MmioPlacement(IoApic.DEFAULT_BASE, ioApic));
    }

    @Override
    public List<InterruptSource> interruptSources(int cpu) {
        return List.of(localApics.get(cpu));
    }

    @Override
    public Map<Integer, SystemRegister> systemRegisters(int cpu) {
        return Map.of(TimeStampCounter.MSR, tsc, IA32_TSC_DEADLINE, localApics.get(cpu).tscDeadlineRegister());
    }

    /** I/O APIC pin {@code pin} (0..23); its trigger mode is what the OS programs in the pin's entry. */
    public IrqLine line(int pin) {
        return ioApic.line(pin);
    }

    public LocalApic localApic(int cpu) {
        return localApics.get(cpu);
    }

    /** The shared local APIC page, for the machine to map at {@link LocalApicPage#DEFAULT_BASE}. */
    public LocalApicPage localApicPage() {
        return page;
    }

    public IoApic ioApic() {
        return ioApic;
    }

    /** Vectors taken per CPU (256 interrupt numbers: the vectors). */
    public DeliveryCounters counters() {
        return counters;
    }
}

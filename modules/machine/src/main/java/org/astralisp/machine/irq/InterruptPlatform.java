package org.astralisp.machine.irq;

import java.util.List;
import java.util.Map;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;

/**
 * The interrupt controllers and timers of one machine, as the machine assembly wires them:
 * register blocks onto the system bus, interrupt sources and system registers into each vCPU.
 * Device interrupt lines come from each platform's own {@code line} method, because what a line
 * is differs (an I/O APIC pin whose trigger mode the OS programs; a PLIC or XIVE source whose
 * trigger mode is fixed by its wiring).
 *
 * <p>The vCPUs ({@link org.astralisp.machine.cpu.VirtualCpuSignals}) exist before the platform
 * (it kicks them); each vCPU receives its sources and registers before it starts.
 */
public interface InterruptPlatform {

    /** The register blocks with their guest-physical base addresses. */
    List<MmioPlacement> mmio();

    /**
     * The interrupt sources of CPU {@code cpu}, highest architectural priority first: the vCPU
     * takes the first one that is {@link InterruptSource#pending() pending}.
     */
    List<InterruptSource> interruptSources(int cpu);

    /** The system registers of CPU {@code cpu} this platform implements, by architectural number. */
    Map<Integer, SystemRegister> systemRegisters(int cpu);
}

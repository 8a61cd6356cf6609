package org.astralisp.hal.riscv64.irq;

import java.util.List;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.TimerRegistrations;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.MmioSpace;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

/**
 * Registers one {@link Timer} service per {@link Cpu} service, with the
 * properties {@code cpu.id} and {@code arch=riscv64}, through {@link TimerRegistrations};
 * they live exactly as long as this component.
 */
@Component(service = {}, immediate = true)
public final class ClintTimers {

    private final TimerRegistrations timers;

    @Activate
    public ClintTimers(BundleContext context, @Reference(target = "(arch=riscv64)") Firmware firmware,
            @Reference MmioSpace mmio,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<Cpu> cpus) {
        timers = TimerRegistrations.register(context, "riscv64", create(firmware, mmio, cpus));
    }

    /** One timer per hart, over the CLINT of the device tree at the time-base frequency. */
    static List<Timer> create(Firmware firmware, MmioSpace mmio, List<Cpu> cpus) {
        PlatformDevices platform = PlatformDevices.of(firmware.deviceTree());
        AddressRange clint = platform.registers("riscv,clint0");
        long frequency = platform.timebaseFrequency();
        return cpus.stream().<Timer>map(cpu -> new ClintTimer(mmio.map(clint.address(), clint.size()), cpu.id(), frequency))
                .toList();
    }

    @Deactivate
    void deactivate() {
        timers.close();
    }
}

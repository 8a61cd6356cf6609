package org.astralisp.hal.x86_64.irq;

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
 * properties {@code cpu.id} and {@code arch=x86_64}, through {@link TimerRegistrations};
 * they live exactly as long as this component.
 */
@Component(service = {}, immediate = true)
public final class ApicTimers {

    private final TimerRegistrations timers;

    @Activate
    public ApicTimers(BundleContext context, @Reference(target = "(arch=x86_64)") Firmware firmware,
            @Reference MmioSpace mmio,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<Cpu> cpus) {
        timers = TimerRegistrations.register(context, "x86_64", create(firmware, mmio, cpus));
    }

    /** One timer per CPU, over the local APIC page of the device tree and its bus clock. */
    static List<Timer> create(Firmware firmware, MmioSpace mmio, List<Cpu> cpus) {
        PlatformDevices platform = PlatformDevices.of(firmware.deviceTree());
        AddressRange local = platform.registers("intel,ce4100-lapic");
        long bus = platform.timebaseFrequency();
        return cpus.stream().<Timer>map(cpu -> new ApicTimer(mmio.map(local.address(), local.size()), cpu, bus))
                .toList();
    }

    @Deactivate
    void deactivate() {
        timers.close();
    }
}

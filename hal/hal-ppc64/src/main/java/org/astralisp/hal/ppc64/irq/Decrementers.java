package org.astralisp.hal.ppc64.irq;

import java.util.List;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.TimerRegistrations;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

/**
 * Registers one {@link Timer} service per {@link Cpu} service, with the
 * properties {@code cpu.id} and {@code arch=ppc64}, through {@link TimerRegistrations};
 * they live exactly as long as this component.
 */
@Component(service = {}, immediate = true)
public final class Decrementers {

    private final TimerRegistrations timers;

    @Activate
    public Decrementers(BundleContext context, @Reference(target = "(arch=ppc64)") Firmware firmware,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<Cpu> cpus) {
        timers = TimerRegistrations.register(context, "ppc64", create(firmware, cpus));
    }

    /** One decrementer per CPU, at the time-base frequency of the device tree. */
    static List<Timer> create(Firmware firmware, List<Cpu> cpus) {
        PlatformDevices platform = PlatformDevices.of(firmware.deviceTree());
        long frequency = platform.timebaseFrequency();
        return cpus.stream().<Timer>map(cpu -> new Decrementer(cpu, frequency))
                .toList();
    }

    @Deactivate
    void deactivate() {
        timers.close();
    }
}

package org.astralisp.hal.riscv64.irq;

import org.astralisp.hal.api.devicetree.PlatformDevices;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.MmioSpace;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;

/**
 * Registers one {@link Timer} service per {@link Cpu} service, with the
 * properties {@code cpu.id} and {@code arch=riscv64}. DS gives a component one
 * service object, not one per CPU, hence the registrations by hand; they live
 * exactly as long as this component.
 */
@Component(service = {}, immediate = true)
public final class ClintTimers {

    private final List<ServiceRegistration<Timer>> registrations = new ArrayList<>();

    @Activate
    public ClintTimers(BundleContext context, @Reference(target = "(arch=riscv64)") Firmware firmware,
            @Reference MmioSpace mmio,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<Cpu> cpus) {
        for (Timer timer : create(firmware, mmio, cpus)) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("cpu.id", timer.cpu());
            properties.put("arch", "riscv64");
            registrations.add(context.registerService(Timer.class, timer, properties));
        }
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
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}

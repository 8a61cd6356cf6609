package org.astralisp.hal.api.irq;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The per-CPU {@link Timer} services of an arch bundle. Declarative Services
 * gives a component one service object, not one per CPU, so the arch's timer
 * component registers them by hand through this class, with the properties
 * {@code cpu.id} and {@code arch}, and closes it when it is deactivated: the
 * timers live exactly as long as the component.
 */
public final class TimerRegistrations implements AutoCloseable {

    private final List<ServiceRegistration<Timer>> registrations = new ArrayList<>();

    private TimerRegistrations() {
    }

    /** Registers each timer of {@code timers} as a service of {@code context}. */
    public static TimerRegistrations register(BundleContext context, String arch, List<Timer> timers) {
        TimerRegistrations registered = new TimerRegistrations();
        for (Timer timer : timers) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("cpu.id", timer.cpu());
            properties.put("arch", arch);
            registered.registrations.add(context.registerService(Timer.class, timer, properties));
        }
        return registered;
    }

    /** Unregisters every timer. */
    @Override
    public void close() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}

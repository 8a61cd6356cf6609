package org.astralisp.kernel.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.ppc64.irq.Decrementers;
import org.astralisp.hal.ppc64.irq.XiveInterruptController;
import org.astralisp.hal.riscv64.irq.ClintTimers;
import org.astralisp.hal.riscv64.irq.PlicInterruptController;
import org.astralisp.hal.x86_64.irq.ApicInterruptController;
import org.astralisp.hal.x86_64.irq.ApicTimers;
import org.astralisp.machine.Machine;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The arch bundle's real interrupt-controller and timer drivers for a
 * machine, built as SCR would build its components: what the kernel's
 * interrupt framework runs on in the tests.
 *
 * @param controller the machine's interrupt controller driver
 * @param timers one timer per CPU, in CPU order
 */
public record ArchInterruptDrivers(InterruptController controller, List<Timer> timers) {

    /** The drivers of {@code machine}'s architecture. */
    public static ArchInterruptDrivers of(Machine machine) {
        List<Timer> timers = new ArrayList<>();
        BundleContext context = timerContext(timers);
        var firmware = machine.firmware();
        var mmio = machine.mmio();
        var cpus = machine.cpus();
        InterruptController controller = switch (machine.description().architecture()) {
            case X86_64 -> {
                new ApicTimers(context, firmware, mmio, cpus);
                yield new ApicInterruptController(firmware, mmio);
            }
            case RISCV64 -> {
                new ClintTimers(context, firmware, mmio, cpus);
                yield new PlicInterruptController(firmware, mmio, cpus);
            }
            case PPC64 -> {
                new Decrementers(context, firmware, cpus);
                yield new XiveInterruptController(firmware, mmio);
            }
        };
        return new ArchInterruptDrivers(controller, timers);
    }

    /**
     * A bundle context that keeps the {@link Timer} services a timer component
     * registers (a proxy: all the timer components call is {@code registerService}).
     */
    public static BundleContext timerContext(List<Timer> timers) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                ArchInterruptDrivers.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(ArchInterruptDrivers.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || !(args[1] instanceof Timer timer)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    timers.add(timer);
                    return registration;
                });
    }
}

package org.astralisp.kernel.irq;

import java.time.Duration;
import java.util.List;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.irq.CpuInterrupts;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.machine.port.Cpu;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU bring-up: once the {@link InterruptController}, a {@link Timer} for
 * every CPU and every {@link Cpu} are present, starts every vCPU with the
 * kernel's entry ({@link InterruptFramework}) and, once all take interrupts,
 * registers the framework as {@link InterruptManager} and {@link CpuInterrupts}
 * (and as {@link InterruptFramework}, for the scheduler in this bundle, which
 * attaches to its idle loops) and the console's {@code interrupts}. Deactivation (the kernel bundle
 * stopped or updated, or a reference gone) unregisters them, then stops the
 * framework: the vCPUs are STOPPED, for the next kernel to start.
 *
 * <p>The timer and CPU references are static and greedy, so every arrival
 * reactivates the component: an activation with fewer timers or vCPUs than
 * the controller has CPUs waits (logs it and starts nothing) for the next.
 */
@Component(service = {}, immediate = true)
public final class InterruptsComponent {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptsComponent.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InterruptFramework framework;
    private final ServiceRegistration<?> manager;
    private final ServiceRegistration<ConsoleCommand> command;

    @Activate
    public InterruptsComponent(BundleContext context, @Reference InterruptController controller,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<Timer> timers,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<Cpu> cpus) throws InterruptedException {
        if (timers.size() < controller.cpus() || cpus.size() < controller.cpus()) {
            LOG.info("interrupts: {} has {} CPUs; waiting for their timers ({} so far) and vCPUs ({} so far)",
                    controller.name(), controller.cpus(), timers.size(), cpus.size());
            framework = null;
            manager = null;
            command = null;
            return;
        }
        InterruptFramework started = null;
        ServiceRegistration<?> registered = null;
        ServiceRegistration<ConsoleCommand> console = null;
        try {
            started = new InterruptFramework(controller, cpus, timers);
            started.start(TIMEOUT);
            registered = context.registerService(
                    new String[] {InterruptManager.class.getName(), CpuInterrupts.class.getName(),
                        InterruptFramework.class.getName()}, started, null);
            InterruptFramework counted = started;
            console = context.registerService(ConsoleCommand.class, new InterruptsCommand(counted::snapshot), null);
            LOG.info("interrupts: {} CPUs take interrupts from {} (lines {}..{}, priorities 1..{})",
                    controller.cpus(), controller.name(), controller.firstLine(), controller.lastLine(),
                    controller.maxPriority());
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.error("interrupts: no interrupt framework: {}", e.getMessage());
            started = null;
        }
        framework = started;
        manager = registered;
        command = console;
    }

    /** Whether the framework is up and registered. */
    boolean running() {
        return framework != null;
    }

    InterruptFramework framework() {
        return framework;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (framework == null) {
            return;
        }
        command.unregister();
        manager.unregister();
        List<Integer> running = framework.stop(TIMEOUT);
        if (running.isEmpty()) {
            LOG.info("interrupts: stopped; every vCPU is STOPPED");
        } else {
            LOG.error("interrupts: CPUs {} did not stop within {} s", running, TIMEOUT.toSeconds());
        }
    }
}

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.x86_64.irq.ApicInterruptController;
import org.astralisp.hal.x86_64.irq.ApicTimers;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.sched.Scheduler;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * What the kernel benchmarks run on: a real x86_64 machine model (64 MiB)
 * with the real APIC drivers, the kernel's interrupt framework started on
 * every vCPU, and the scheduler attached, as the kernel's tests build it.
 * Shared by bench/sched and bench/proc (bench/lib/kernel-bench.sh compiles it
 * with each).
 */
final class KernelMachine implements AutoCloseable {

    final Machine machine;
    final InterruptFramework framework;
    final Scheduler scheduler;

    KernelMachine(int cpus) throws InterruptedException {
        machine = Machine.create(new MachineConfig(Architecture.X86_64, cpus, 64L << 20, ""));
        List<Timer> timers = new ArrayList<>();
        new ApicTimers(timerContext(timers), machine.firmware(), machine.mmio(), machine.cpus());
        InterruptController controller = new ApicInterruptController(machine.firmware(), machine.mmio());
        framework = new InterruptFramework(controller, machine.cpus(), timers);
        framework.start(Duration.ofSeconds(5));
        scheduler = new Scheduler(framework, machine.cpus(), timers);
    }

    /** Detaches the scheduler, stops the framework, closes the machine. */
    @Override
    public void close() throws InterruptedException {
        try {
            scheduler.close();
        } finally {
            try {
                framework.stop(Duration.ofSeconds(5));
            } finally {
                machine.close();
            }
        }
    }

    /** The bundle context the timer component registers its timers with: collects them (as the kernel's tests do). */
    private static BundleContext timerContext(List<Timer> timers) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                KernelMachine.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(KernelMachine.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || !(args[1] instanceof Timer timer)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    timers.add(timer);
                    return registration;
                });
    }
}

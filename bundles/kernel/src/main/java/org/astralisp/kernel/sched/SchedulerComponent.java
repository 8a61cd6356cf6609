package org.astralisp.kernel.sched;

import java.util.List;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.astralisp.kernel.api.sched.WorkQueue;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.machine.port.Cpu;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of the booted kernel: once the interrupt framework runs on
 * every vCPU ({@code irq.InterruptsComponent} registers it), attaches a
 * {@link Scheduler} to its idle loops, with the {@code rr} policy to start
 * with (the reference's target, {@code initial.target}, picks another), and
 * registers it as {@link CpuScheduler}, its vCPUs' timer queues as
 * {@link KernelTimers}, and the kernel's workers ({@code kworker/N}, one
 * kernel thread per vCPU) as {@link WorkQueue}. Every {@link SchedulingPolicy}
 * service is offered to it as it comes and goes, so a policy can be swapped
 * in live; one that goes while in use is swapped out first.
 *
 * <p>Deactivation (the kernel bundle stopped or updated, the framework gone)
 * unregisters the service and detaches the scheduler: the vCPUs' idle loops
 * run no threads any more and their slice timers are cancelled. Its threads
 * are not handed over: runnable and blocked ones stay so, never to run
 * again, and a host thread joining them times out; the next scheduler starts
 * with none.
 */
@Component(service = {}, immediate = true)
public final class SchedulerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    private final Scheduler scheduler;
    private final ServiceRegistration<CpuScheduler> registration;
    private final ServiceRegistration<KernelTimers> timersRegistration;
    private final KernelWorkers workers;
    private final ServiceRegistration<WorkQueue> workersRegistration;
    /** Cleared at deactivation, after which SCR still unbinds the policies: they no longer concern a closed scheduler. */
    private volatile boolean attached;

    @Activate
    public SchedulerComponent(BundleContext context, @Reference InterruptFramework framework,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<Timer> timers,
            @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE,
                    policyOption = ReferencePolicyOption.GREEDY) List<Cpu> cpus,
            @Reference(name = "initial", target = "(" + SchedulingPolicy.NAME + "=" + RoundRobinPolicy.NAME + ")")
                    SchedulingPolicy initial) {
        Scheduler started = null;
        ServiceRegistration<CpuScheduler> registered = null;
        ServiceRegistration<KernelTimers> timersRegistered = null;
        KernelWorkers startedWorkers = null;
        ServiceRegistration<WorkQueue> workersRegistered = null;
        try {
            started = new Scheduler(framework, cpus, timers, initial);
            registered = context.registerService(CpuScheduler.class, started, null);
            timersRegistered = context.registerService(KernelTimers.class, new KernelTimerService(started), null);
            startedWorkers = new KernelWorkers(started);
            workersRegistered = context.registerService(WorkQueue.class, startedWorkers, null);
            LOG.info("scheduler: kernel threads on {} vCPUs, policy {}", started.cpus(), initial.name());
        } catch (IllegalArgumentException e) {
            LOG.error("scheduler: not started: {}", e.getMessage());
        } catch (LinkageError e) {
            LOG.error("scheduler: not started: kernel threads are jdk.internal.vm continuations, which this JVM or"
                    + " framework does not give the kernel ({}); the image's JVM runs with --add-exports"
                    + " java.base/jdk.internal.vm=ALL-UNNAMED and its system bundle exports jdk.internal.vm", e.toString());
        }
        scheduler = started;
        registration = registered;
        timersRegistration = timersRegistered;
        workers = startedWorkers;
        workersRegistration = workersRegistered;
        attached = started != null;
    }

    /** Whether the scheduler runs and is registered. */
    boolean running() {
        return scheduler != null;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    @Reference(name = "policies", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removePolicy")
    void addPolicy(SchedulingPolicy policy) {
        if (attached) {
            scheduler.addPolicy(policy);
        }
    }

    void removePolicy(SchedulingPolicy policy) {
        if (attached) {
            scheduler.removePolicy(policy);
        }
    }

    @Deactivate
    void deactivate() {
        if (!attached) {
            return;
        }
        attached = false;
        workersRegistration.unregister();
        try {
            workers.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timersRegistration.unregister();
        registration.unregister();
        int left = scheduler.threads().size();
        scheduler.close();
        LOG.info("scheduler: stopped; {} kernel threads not ended are left unrun", left);
    }
}

package org.astralisp.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.testing.ArchInterruptDrivers;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;

/**
 * A real machine with its arch bundle's interrupt drivers, the kernel's
 * interrupt framework on its vCPUs, and the scheduler attached to it.
 */
public final class SchedulerOnMachine implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    public final Machine machine;
    public final InterruptFramework framework;
    public final Scheduler scheduler;

    public SchedulerOnMachine(Architecture architecture, int cpus) throws InterruptedException {
        this(architecture, cpus, new RoundRobinPolicy());
    }

    /** The scheduler starts with {@code initial}, and has the three policies to swap to. */
    SchedulerOnMachine(Architecture architecture, int cpus, SchedulingPolicy initial) throws InterruptedException {
        machine = Machine.create(new MachineConfig(architecture, cpus, 64L << 20, ""));
        ArchInterruptDrivers drivers = ArchInterruptDrivers.of(machine);
        framework = new InterruptFramework(drivers.controller(), machine.cpus(), drivers.timers());
        framework.start(Duration.ofSeconds(5));
        scheduler = new Scheduler(framework, machine.cpus(), drivers.timers(), initial);
        for (SchedulingPolicy policy : List.of(new RoundRobinPolicy(), new PriorityPolicy(), new FairSharePolicy())) {
            if (!policy.name().equals(initial.name())) {
                scheduler.addPolicy(policy);
            }
        }
    }

    /** A started thread with {@code attributes}, placed by the scheduler. */
    KernelThread start(String name, SchedulingAttributes attributes, Runnable body) {
        KernelThread thread = scheduler.thread(name, attributes, body);
        thread.start();
        return thread;
    }

    /** A started thread with {@code attributes} that starts on {@code cpu}. */
    KernelThread start(int cpu, String name, SchedulingAttributes attributes, Runnable body) {
        KernelThread thread = scheduler.thread(cpu, name, attributes, body);
        thread.start();
        return thread;
    }

    /** A CPU-bound body: spins, polling its safepoint, until {@code stop}. */
    static Runnable spinner(java.util.concurrent.atomic.AtomicBoolean stop) {
        return () -> {
            while (!stop.get()) {
                org.astralisp.kernel.api.sched.Safepoint.poll();
            }
        };
    }

    /** Jain's fairness index of {@code shares}: 1 when all are equal, 1/n when one has everything. */
    static double jain(long[] shares) {
        double sum = 0;
        double squares = 0;
        for (long share : shares) {
            sum += share;
            squares += (double) share * share;
        }
        return sum * sum / (shares.length * squares);
    }

    /** A started kernel thread on {@code cpu}. */
    KernelThread start(int cpu, String name, Runnable body) {
        KernelThread thread = scheduler.thread(cpu, name, body);
        thread.start();
        return thread;
    }

    /** Waits for {@code thread} to end, bounded, and fails naming it and its state if it does not. */
    static void awaitEnd(KernelThread thread) throws InterruptedException {
        assertTrue(thread.join(WAIT), thread + " did not end within " + WAIT.toSeconds() + " s");
    }

    /** vCPU {@code cpu}'s host thread, found by running a cross call on it. */
    Thread vcpuThread(int cpu) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        BitSet target = new BitSet();
        target.set(cpu);
        framework.crossCall().runOn(target, c -> thread.set(Thread.currentThread()));
        return thread.get();
    }

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
}

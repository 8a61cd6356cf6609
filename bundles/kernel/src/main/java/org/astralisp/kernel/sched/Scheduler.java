package org.astralisp.kernel.sched;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.irq.CpuStoppedException;
import org.astralisp.kernel.api.irq.TickListener;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.machine.port.Cpu;

/**
 * Kernel threads on every vCPU of a running {@link InterruptFramework}: one
 * {@link VcpuExecutor} per CPU, run by that CPU's idle loop, and the tick
 * listener that preempts (docs/kernel.md, "The vCPU executor"). Threads stay
 * on the CPU they were created for (no migration yet).
 *
 * <p>Not yet wired into the boot image: built by its tests for now.
 */
public final class Scheduler implements AutoCloseable {

    private final InterruptFramework framework;
    private final VcpuExecutor[] executors;
    private final TickListener ticks;

    /**
     * Attaches an executor to each of {@code framework}'s CPUs; {@code cpus}
     * and {@code timers} are the ones the framework was built with. The
     * scheduler owns the timers: it arms and cancels them.
     */
    public Scheduler(InterruptFramework framework, List<Cpu> cpus, List<Timer> timers) {
        this.framework = Objects.requireNonNull(framework, "framework");
        this.executors = new VcpuExecutor[framework.cpus()];
        for (int id = 0; id < executors.length; id++) {
            int cpu = id;
            Cpu vcpu = cpus.stream().filter(c -> c.id() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " has no vCPU"));
            Timer timer = timers.stream().filter(t -> t.cpu() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " has no timer"));
            executors[id] = new VcpuExecutor(id, vcpu, timer, this, framework, new FifoRunQueue());
        }
        this.ticks = cpu -> executors[cpu].tick();
        framework.addTickListener(ticks);
        for (VcpuExecutor executor : executors) {
            framework.setThreadRunner(executor.cpu(), executor);
        }
    }

    /**
     * A NEW kernel thread that will run {@code body} on {@code cpu}.
     *
     * @throws IllegalArgumentException naming a CPU that does not exist
     */
    public KernelThread thread(int cpu, String name, Runnable body) {
        return new ContinuationThread(name, executor(cpu), body);
    }

    VcpuExecutor executor(int cpu) {
        if (cpu < 0 || cpu >= executors.length) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (CPUs are 0.." + (executors.length - 1)
                    + ")");
        }
        return executors[cpu];
    }

    /** Whether the calling thread is one of the vCPU threads this scheduler runs threads on. */
    boolean onVcpuThread() {
        Thread self = Thread.currentThread();
        for (VcpuExecutor executor : executors) {
            if (executor.vcpuThread() == self) {
                return true;
            }
        }
        return false;
    }

    /**
     * Detaches from the framework: the idle loops run no more threads (threads
     * still runnable or blocked stay so), the tick listener goes, and each
     * vCPU's safepoint is unbound (by a cross call, on its own thread; not
     * needed when the framework has stopped already, since the vCPU threads
     * have ended).
     */
    @Override
    public void close() {
        for (VcpuExecutor executor : executors) {
            framework.setThreadRunner(executor.cpu(), null);
        }
        framework.removeTickListener(ticks);
        BitSet all = new BitSet();
        all.set(0, executors.length);
        try {
            framework.crossCall().runOn(all, cpu -> executors[cpu].unbind());
        } catch (CpuStoppedException e) {
            // The framework stopped first: the vCPU threads have ended, and their bindings with them.
        }
    }
}

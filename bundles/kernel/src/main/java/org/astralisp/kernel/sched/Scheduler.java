package org.astralisp.kernel.sched;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.irq.CpuStoppedException;
import org.astralisp.kernel.api.irq.TickListener;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.CpuStatistics;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.RunQueue.Arrival;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.astralisp.kernel.api.sched.UnknownPolicyException;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.machine.port.Cpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel threads on every vCPU of a running {@link InterruptFramework}: one
 * {@link VcpuExecutor} per CPU, run by that CPU's idle loop, the tick
 * listener that preempts, where threads go (placement, load balancing, work
 * stealing, affinity), and the live policy swap (docs/kernel.md, "The
 * scheduler and its policies").
 *
 * <h2>Where a thread runs</h2>
 * A thread runs only on a CPU its affinity allows: every path into a queue
 * goes through {@link VcpuExecutor#enqueue}, which checks it under that
 * queue's lock, so a thread in a queue is always allowed there, also while
 * its attributes change ({@link #resettle}). Moves between vCPUs take a
 * thread out of one queue under that queue's lock and put it into another
 * under the other's; no two vCPU locks are ever held together.
 * <ul>
 * <li>start: on its creation CPU, or the least loaded allowed CPU;</li>
 * <li>work arriving on a busy vCPU wakes an idle vCPU the thread may run on
 *     ({@link #offload}), which steals it;</li>
 * <li>an idle vCPU steals from the busiest queue before it halts ({@link #steal});</li>
 * <li>periodically, from the slice tick, one thread moves from the busiest to
 *     the least loaded vCPU when their loads differ by two or more ({@link #balance}).</li>
 * </ul>
 * Only a thread that has not run yet moves: once run, its continuation stays
 * on that vCPU's host thread ({@link ContinuationThread}, "Its vCPU"), and
 * it is woken and requeued there.
 *
 * <h2>Policy swap</h2>
 * {@link #setPolicy}: under the swap lock, each vCPU in turn moves its queued
 * threads into a fresh queue of the new policy under its own lock
 * ({@link VcpuExecutor#switchTo}). A thread that is running, blocked, or
 * moving between queues meanwhile is in no queue: its next enqueue goes into
 * whatever queue its vCPU has then. So none is lost or queued twice.
 */
public final class Scheduler implements CpuScheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final InterruptFramework framework;
    private final VcpuExecutor[] executors;
    private final TickListener ticks;
    private final ConcurrentSkipListMap<String, SchedulingPolicy> policies = new ConcurrentSkipListMap<>();
    private final ReentrantLock swap = new ReentrantLock();
    private volatile SchedulingPolicy policy;
    private final ConcurrentSkipListMap<Long, ContinuationThread> live = new ConcurrentSkipListMap<>();
    private final AtomicLong serials = new AtomicLong();

    /** A round-robin scheduler; see {@link #Scheduler(InterruptFramework, List, List, SchedulingPolicy)}. */
    public Scheduler(InterruptFramework framework, List<Cpu> cpus, List<Timer> timers) {
        this(framework, cpus, timers, new RoundRobinPolicy());
    }

    /**
     * Attaches an executor to each of {@code framework}'s CPUs, with
     * {@code initial}'s queues; {@code cpus} and {@code timers} are the ones
     * the framework was built with. The scheduler owns the timers: it arms
     * and cancels them.
     */
    public Scheduler(InterruptFramework framework, List<Cpu> cpus, List<Timer> timers, SchedulingPolicy initial) {
        this.framework = Objects.requireNonNull(framework, "framework");
        this.policy = Objects.requireNonNull(initial, "initial");
        policies.put(initial.name(), initial);
        this.executors = new VcpuExecutor[framework.cpus()];
        for (int id = 0; id < executors.length; id++) {
            int cpu = id;
            Cpu vcpu = cpus.stream().filter(c -> c.id() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " has no vCPU"));
            Timer timer = timers.stream().filter(t -> t.cpu() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " has no timer"));
            executors[id] = new VcpuExecutor(id, vcpu, timer, this, framework, initial.runQueue(id));
        }
        this.ticks = cpu -> executors[cpu].tick();
        framework.addTickListener(ticks);
        for (VcpuExecutor executor : executors) {
            framework.setThreadRunner(executor.cpu(), executor);
        }
    }

    @Override
    public int cpus() {
        return executors.length;
    }

    /**
     * {@inheritDoc} This is what {@code thread(cpu, …)} has always meant: the
     * thread runs on {@code cpu} and nowhere else.
     */
    @Override
    public KernelThread thread(int cpu, String name, Runnable body) {
        executor(cpu);
        return thread(cpu, name, SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(cpu)), body);
    }

    @Override
    public KernelThread thread(String name, SchedulingAttributes attributes, Runnable body) {
        checkAffinity(attributes);
        VcpuExecutor first = executors[attributes.affinity().nextSetBit(0)];
        return register(new ContinuationThread(serials.incrementAndGet(), name, this, first, true, attributes, body));
    }

    @Override
    public KernelThread thread(int cpu, String name, SchedulingAttributes attributes, Runnable body) {
        VcpuExecutor first = executor(cpu);
        if (!attributes.allows(cpu)) {
            throw new IllegalArgumentException("thread '" + name + "' cannot start on CPU " + cpu
                    + ": its affinity is " + attributes.affinityText(executors.length));
        }
        return register(new ContinuationThread(serials.incrementAndGet(), name, this, first, false, attributes, body));
    }

    private KernelThread register(ContinuationThread thread) {
        live.put(thread.serial(), thread);
        return thread;
    }

    /** @throws IllegalArgumentException if {@code attributes}' affinity names no CPU of this machine */
    void checkAffinity(SchedulingAttributes attributes) {
        BitSet affinity = attributes.affinity();
        if (affinity.nextSetBit(0) >= executors.length) {
            throw new IllegalArgumentException("affinity " + affinity + " names no CPU of this machine (CPUs are 0.."
                    + (executors.length - 1) + ")");
        }
    }

    VcpuExecutor executor(int cpu) {
        if (cpu < 0 || cpu >= executors.length) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (CPUs are 0.." + (executors.length - 1)
                    + ")");
        }
        return executors[cpu];
    }

    /** A started thread's first queue. */
    void admit(ContinuationThread thread) {
        VcpuExecutor target = thread.placeOnStart() ? select(thread) : thread.executor();
        target.enqueue(thread, Arrival.NEW);
    }

    /** An unparked thread's queue: {@link #select}. */
    void wake(ContinuationThread thread) {
        select(thread).enqueue(thread, Arrival.WOKEN);
    }

    /** A thread that yielded goes back to its vCPU. */
    void requeue(ContinuationThread thread) {
        thread.executor().enqueue(thread, Arrival.YIELDED);
    }

    /** A thread that may not run where it was sent goes where it may. */
    void place(ContinuationThread thread, Arrival arrival) {
        select(thread).enqueue(thread, arrival);
    }

    /**
     * A thread that has run: its vCPU. One that has not: the least loaded CPU
     * it may run on, its assigned CPU on a tie.
     */
    private VcpuExecutor select(ContinuationThread thread) {
        VcpuExecutor last = thread.executor();
        if (!thread.movable()) {
            return last;
        }
        SchedulingAttributes attributes = thread.attributes();
        VcpuExecutor best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (VcpuExecutor executor : executors) {
            if (!attributes.allows(executor.cpu())) {
                continue;
            }
            int load = executor.load();
            if (load < bestLoad || (load == bestLoad && executor == last)) {
                best = executor;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * {@code thread} was queued on {@code busy}, which runs another or has
     * another queued: wakes an idle vCPU that may run it, whose loop then
     * steals it (Linux's idle kick; {@code Cpu.wake()} is this machine's IPI
     * from any thread). Nothing for a thread that has run: it stays.
     */
    void offload(VcpuExecutor busy, ContinuationThread thread) {
        if (!thread.movable()) {
            return;
        }
        SchedulingAttributes attributes = thread.attributes();
        for (VcpuExecutor executor : executors) {
            if (executor != busy && executor.isIdle() && attributes.allows(executor.cpu())) {
                executor.kick();
                return;
            }
        }
    }

    /**
     * Work stealing: before {@code thief} halts, it takes a queued thread that
     * may run on it from the busiest vCPU that has one waiting behind a
     * running thread (load of two or more).
     *
     * @return whether a thread was put into the thief's queue
     */
    boolean steal(VcpuExecutor thief) {
        VcpuExecutor victim = null;
        int most = 1;
        for (VcpuExecutor executor : executors) {
            int load = executor == thief ? 0 : executor.load();
            if (load > most) {
                victim = executor;
                most = load;
            }
        }
        if (victim == null) {
            return false;
        }
        ContinuationThread stolen = victim.takeFor(thief.cpu());
        if (stolen == null) {
            return false;
        }
        thief.adopt(stolen);
        return true;
    }

    /**
     * Periodic load balancing (from every slice tick of any vCPU): moves one
     * thread from the busiest vCPU to the least loaded one when their loads
     * (queued + running) differ by two or more; by one, moving would only
     * swap the imbalance.
     */
    void balance() {
        VcpuExecutor busiest = null;
        VcpuExecutor lightest = null;
        int most = Integer.MIN_VALUE;
        int least = Integer.MAX_VALUE;
        for (VcpuExecutor executor : executors) {
            int load = executor.load();
            if (load > most) {
                busiest = executor;
                most = load;
            }
            if (load < least) {
                lightest = executor;
                least = load;
            }
        }
        if (most - least < 2) {
            return;
        }
        ContinuationThread moved = busiest.takeFor(lightest.cpu());
        if (moved != null) {
            lightest.pull(moved);
        }
    }

    /**
     * After its attributes changed: a queued thread is requeued by them (on a
     * vCPU its affinity allows, if it has not run yet). An enqueue after the
     * change sees the new attributes (they are written first, and read under
     * the queue's lock), so the scan finds every thread queued with the old
     * ones.
     */
    void resettle(ContinuationThread thread) {
        for (VcpuExecutor executor : executors) {
            if (executor.removeQueued(thread)) {
                place(thread, Arrival.MIGRATED);
                return;
            }
        }
    }

    /** A thread ended: it leaves the list of threads. */
    void retire(ContinuationThread thread) {
        live.remove(thread.serial());
    }

    @Override
    public List<KernelThread> threads() {
        List<KernelThread> threads = new ArrayList<>();
        for (ContinuationThread thread : live.values()) {
            if (!thread.isDead()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Override
    public List<CpuStatistics> statistics() {
        List<CpuStatistics> all = new ArrayList<>(executors.length);
        for (VcpuExecutor executor : executors) {
            all.add(executor.statistics());
        }
        return all;
    }

    @Override
    public String policy() {
        return policy.name();
    }

    @Override
    public List<String> policies() {
        return List.copyOf(policies.keySet());
    }

    @Override
    public void setPolicy(String name) {
        SchedulingPolicy next = policies.get(Objects.requireNonNull(name, "name"));
        if (next == null) {
            throw new UnknownPolicyException(name, policies());
        }
        swapTo(next);
    }

    private void swapTo(SchedulingPolicy next) {
        swap.lock();
        try {
            SchedulingPolicy previous = policy;
            if (previous == next) {
                return;
            }
            for (VcpuExecutor executor : executors) {
                executor.switchTo(next);
            }
            policy = next;
            LOG.info("scheduler: policy {} -> {}", previous.name(), next.name());
        } finally {
            swap.unlock();
        }
    }

    /** A policy became available (its component registered). */
    public void addPolicy(SchedulingPolicy added) {
        policies.put(added.name(), added);
    }

    /**
     * A policy went away: if it is in use, the scheduler swaps to the first
     * remaining one by name; with none left it keeps using it (its queues
     * hold the threads).
     */
    public void removePolicy(SchedulingPolicy removed) {
        policies.remove(removed.name(), removed);
        if (policy == removed && !policies.isEmpty()) {
            swapTo(policies.firstEntry().getValue());
        }
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
     * Detaches from the framework: the idle loops run no more threads (a
     * running one is made to yield at its next safepoint; threads still
     * runnable or blocked stay so, never to run again: a later scheduler does
     * not adopt them), the tick listener goes, and each
     * vCPU's safepoint is unbound (by a cross call, on its own thread; not
     * needed when the framework has stopped already, since the vCPU threads
     * have ended).
     */
    @Override
    public void close() {
        for (VcpuExecutor executor : executors) {
            framework.setThreadRunner(executor.cpu(), null);
            executor.requestReschedule(); // a running thread yields at its next safepoint, back to the idle loop
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

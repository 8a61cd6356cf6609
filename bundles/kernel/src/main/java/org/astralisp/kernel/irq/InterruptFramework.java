package org.astralisp.kernel.irq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.irq.CpuInterrupts;
import org.astralisp.kernel.api.irq.CpuStoppedException;
import org.astralisp.kernel.api.irq.CrossCall;
import org.astralisp.kernel.api.irq.DeferredWork;
import org.astralisp.kernel.api.irq.InterruptHandler;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.api.irq.TickListener;
import org.astralisp.machine.port.Cpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's interrupt framework on every vCPU: the idle loop each vCPU
 * runs, the dispatcher its interrupts enter, device-line handlers, deferred
 * work, cross calls, thresholds and tick listeners (docs/interrupts.md,
 * "The kernel's interrupt framework").
 *
 * <h2>Dispatch path</h2>
 * {@link #interrupt}: claim the cause from the controller; EXTERNAL: every
 * handler of the line; TIMER: {@link Timer#expired()}, then the tick listeners
 * (an expiry that was no armed deadline is counted spurious); IPI: the queued
 * cross calls; SPURIOUS, UNKNOWN: counted. Then complete (EOI), always, also
 * when a handler threw. Then, back at the outermost interrupt, the CPU's
 * deferred work, with interrupts enabled and a safepoint between items, where
 * nested interrupts are taken; their dispatch finds the runner on the stack
 * and leaves the queue to it.
 *
 * <h2>Where a request runs</h2>
 * Which CPU a thread is on is a {@link ScopedValue} bound around each vCPU's
 * entry, so it is known in the idle loop, in handlers and in deferred work. A
 * vCPU signals another by IPI ({@link InterruptController#sendIpi}). A thread
 * that is not a vCPU cannot send one on every machine (the x86 local APIC
 * answers only a CPU), so it queues the request and {@link Cpu#wake() wakes}
 * the target, whose idle loop then runs its queues; a vCPU that is running a
 * scheduler's thread ({@link ThreadRunner}) is asked to have it yield at its
 * next safepoint, which brings it back to the idle loop.
 *
 * <h2>Hot swap</h2>
 * {@link #stop}: kill every line registration and mask its line; each idle
 * loop sees its stop flag after a wake-up, disables interrupts, cancels its
 * timer, closes its queues and runs what was still queued, and returns, so its
 * vCPU is STOPPED; {@code stop} waits for every vCPU to report it. A new
 * framework starts them again.
 */
public final class InterruptFramework implements InterruptManager, CrossCall, CpuInterrupts {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptFramework.class);
    private static final ScopedValue<CpuContext> CURRENT = ScopedValue.newInstance();
    /** How long an idle vCPU that runs threads polls for one before it halts: see {@link #pollForThread}. */
    static final long IDLE_POLL_NANOS = 30_000L;
    /** How long a cross call waits before it warns that targets have not run it. */
    private static final Duration SLOW_CROSS_CALL = Duration.ofSeconds(2);

    private enum State { NEW, RUNNING, STOPPED }

    private final InterruptController controller;
    private final CpuContext[] contexts;
    private final LineTable lines;
    private final List<TickListener> tickListeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch up;
    private volatile State state = State.NEW;

    /**
     * A framework for {@code controller}'s CPUs: {@code cpus} and
     * {@code timers} hold exactly one per CPU number {@code 0..controller.cpus()-1}.
     *
     * @throws IllegalArgumentException naming a CPU without a vCPU or a timer
     */
    public InterruptFramework(InterruptController controller, List<Cpu> cpus, List<Timer> timers) {
        this.controller = Objects.requireNonNull(controller, "controller");
        int count = controller.cpus();
        this.contexts = new CpuContext[count];
        for (int id = 0; id < count; id++) {
            int cpu = id;
            Cpu vcpu = cpus.stream().filter(c -> c.id() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " of " + controller.name() + " has no vCPU"));
            Timer timer = timers.stream().filter(t -> t.cpu() == cpu).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("CPU " + cpu + " of " + controller.name() + " has no timer"));
            contexts[id] = new CpuContext(id, vcpu, timer);
        }
        this.lines = new LineTable(controller);
        this.up = new CountDownLatch(count);
    }

    /**
     * Starts every vCPU with the kernel's entry and waits until each takes
     * interrupts.
     *
     * @throws IllegalStateException naming the vCPUs that are running already
     *         (nothing is started then) or did not come up within {@code timeout}
     *         (the framework is stopped again)
     */
    public void start(Duration timeout) throws InterruptedException {
        if (state != State.NEW) {
            throw new IllegalStateException("the interrupt framework was started already");
        }
        List<String> busy = new ArrayList<>();
        for (CpuContext context : contexts) {
            if (context.cpu.running()) {
                busy.add("CPU " + context.id);
            }
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException(String.join(", ", busy) + " running already: another kernel has not"
                    + " returned from it");
        }
        state = State.RUNNING;
        try {
            for (CpuContext context : contexts) {
                context.cpu.start(() -> ScopedValue.where(CURRENT, context).run(() -> idle(context)));
            }
        } catch (IllegalStateException e) {
            stop(timeout);
            throw new IllegalStateException("interrupt framework: " + e.getMessage() + "; the CPUs started are"
                    + " stopped again", e);
        }
        if (!up.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            List<Integer> down = stop(timeout);
            throw new IllegalStateException("interrupt framework: " + (contexts.length - up.getCount()) + " of "
                    + contexts.length + " CPUs came up within " + timeout.toMillis() + " ms"
                    + (down.isEmpty() ? "" : "; still running: CPUs " + down));
        }
    }

    /**
     * Stops the framework: masks every line, makes each idle loop return, and
     * waits up to {@code timeout} for the vCPUs to stop. Idempotent.
     *
     * @return the CPUs still running after the timeout (empty when all stopped)
     */
    public List<Integer> stop(Duration timeout) throws InterruptedException {
        state = State.STOPPED;
        lines.closeAll();
        for (CpuContext context : contexts) {
            context.stopRequested = true;
            attention(context);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> running = new ArrayList<>();
        for (CpuContext context : contexts) {
            while (context.cpu.running() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            if (context.cpu.running()) {
                running.add(context.id);
            }
        }
        return running;
    }

    /** The kernel's entry on one vCPU: bring-up, then halt until stopped. */
    private void idle(CpuContext context) {
        Cpu cpu = context.cpu;
        try {
            controller.initializeCpu(context.id);
            context.threshold = 0;
            context.open();
            cpu.setInterruptEntry(this::interrupt);
            cpu.enableInterrupts();
            up.countDown();
            while (!context.stopRequested) {
                ThreadRunner runner = context.runner;
                if (runner == null || !runner.runNext() && !pollForThread(context, runner)) {
                    cpu.waitForInterrupt();
                }
                runQueues(context);
            }
        } catch (RuntimeException e) {
            LOG.error("CPU {}: the interrupt framework's idle loop failed; the CPU stops", context.id, e);
        } finally {
            leave(context);
        }
    }

    /**
     * Before a vCPU that runs threads halts, it polls for a while (Linux's
     * haltpoll cpuidle governor): a thread woken soon, typically the other
     * side of a channel on another vCPU, then runs without a halt, whose host
     * park and unpark cost microseconds each. Between looks it yields its host
     * thread ({@link Thread#yield()}), so on a busy host the poll gives its
     * core to whoever needs it rather than spinning against the thread it
     * waits for (spinning there made a channel stress 4 times slower,
     * docs/kernel.md "Blocking, timers and IPC"). Interrupts are taken while
     * polling; a cross call, deferred work, a stop or a new runner (a
     * scheduler detached) ends the poll. Once
     * {@link #IDLE_POLL_NANOS} have passed, an idle vCPU halts as before, with
     * its timer off.
     *
     * @return whether something turned up (a thread ran, or the queues have work): no halt then
     */
    private static boolean pollForThread(CpuContext context, ThreadRunner runner) {
        long until = System.nanoTime() + IDLE_POLL_NANOS;
        do {
            Thread.yield();
            context.cpu.pollInterrupts();
            if (context.runner != runner || runner.runNext() || context.stopRequested || context.hasWork()) {
                return true;
            }
        } while (System.nanoTime() < until);
        return false;
    }

    /** On the way out: interrupts off, timer off, queues closed, and what was queued run here. */
    private void leave(CpuContext context) {
        context.cpu.disableInterrupts();
        try {
            context.timer.cancel();
        } catch (RuntimeException e) {
            LOG.warn("CPU {}: cancelling its timer at stop failed: {}", context.id, e.getMessage());
        }
        CpuContext.Leftovers left = context.close();
        left.calls().forEach(call -> runCall(context, call));
        for (DeferredTask task : left.tasks()) {
            runTask(context, task);
        }
    }

    /** After a wake-up in the idle loop: cross calls (interrupts disabled, as from an IPI), then deferred work. */
    private void runQueues(CpuContext context) {
        if (!context.hasWork()) {
            return;
        }
        context.cpu.disableInterrupts();
        try {
            runCalls(context);
        } finally {
            context.cpu.enableInterrupts();
        }
        runDeferred(context);
    }

    /** The interrupt entry of every vCPU: see the class comment. */
    void interrupt(Cpu cpu, long cause) {
        CpuContext context = contexts[cpu.id()];
        context.depth++;
        try {
            Interrupt claimed;
            try {
                claimed = controller.claim(context.id, cause);
            } catch (RuntimeException e) {
                context.unknown.incrementAndGet();
                LOG.error("CPU {}: claiming cause 0x{} failed", context.id, Long.toHexString(cause), e);
                return;
            }
            try {
                dispatch(context, claimed);
            } finally {
                complete(context, claimed);
            }
        } finally {
            context.depth--;
        }
        runDeferred(context);
    }

    /** The EOI; a controller that refuses it is logged, so that the vCPU's idle loop goes on. */
    private void complete(CpuContext context, Interrupt claimed) {
        try {
            controller.complete(context.id, claimed);
        } catch (RuntimeException e) {
            LOG.error("CPU {}: completing {} failed", context.id, claimed, e);
        }
    }

    private void dispatch(CpuContext context, Interrupt interrupt) {
        switch (interrupt.kind()) {
            case EXTERNAL -> {
                if (!lines.dispatch(interrupt.line(), context.id)) {
                    context.spurious.incrementAndGet();
                }
            }
            case TIMER -> {
                if (context.timer.expired()) {
                    context.timerInterrupts.incrementAndGet();
                    tick(context);
                } else {
                    context.spurious.incrementAndGet();
                }
            }
            case IPI -> {
                context.ipis.incrementAndGet();
                runCalls(context);
            }
            case SPURIOUS -> context.spurious.incrementAndGet();
            case UNKNOWN -> context.unknown.incrementAndGet();
        }
    }

    private void tick(CpuContext context) {
        for (TickListener listener : tickListeners) {
            try {
                listener.tick(context.id);
            } catch (RuntimeException | AssertionError | LinkageError e) {
                LOG.error("CPU {}: tick listener {} threw; it stays registered", context.id, listener, e);
            }
        }
    }

    private void runCalls(CpuContext context) {
        CrossCallRequest call;
        while ((call = context.nextCall()) != null) {
            runCall(context, call);
        }
    }

    private static void runCall(CpuContext context, CrossCallRequest call) {
        context.crossCalls.incrementAndGet();
        call.runOn(context.id);
    }

    /**
     * Runs the CPU's deferred work with interrupts enabled, unless an
     * interrupt or the runner itself is below on the stack (the runner there
     * will find anything queued meanwhile). A safepoint after each item takes
     * nested interrupts.
     */
    private void runDeferred(CpuContext context) {
        if (context.depth > 0 || context.runningDeferred) {
            return;
        }
        context.runningDeferred = true;
        boolean wereEnabled = context.cpu.interruptsEnabled();
        context.cpu.enableInterrupts();
        try {
            DeferredTask task;
            while ((task = context.nextTask()) != null) {
                runTask(context, task);
                context.cpu.pollInterrupts();
            }
        } finally {
            if (!wereEnabled) {
                context.cpu.disableInterrupts();
            }
            context.runningDeferred = false;
        }
    }

    private static void runTask(CpuContext context, DeferredTask task) {
        try {
            task.run(context.id);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            LOG.error("CPU {}: {} threw", context.id, task, e);
        }
    }

    /** {@link DeferredWork#schedule()} of {@code task}: see {@link DeferredWork}. */
    void schedule(DeferredTask task) {
        CpuContext here = current();
        if (here != null && here.depth == 0 && !here.runningDeferred) {
            runTask(here, task);
            return;
        }
        CpuContext target = here != null ? here : contexts[0];
        if (!task.markQueued(target.id)) {
            return;
        }
        if (!target.post(task)) {
            task.unmarkQueued(target.id);
            throw new CpuStoppedException(task + ": CPU " + target.id + " is stopped");
        }
        if (here == null) {
            attention(target);
        }
    }

    /**
     * Gets a CPU's idle loop to look at its queues, from a thread that is not
     * a vCPU: a halted CPU is woken; a CPU running a thread has it yield at its
     * next safepoint, back to the idle loop.
     */
    private static void attention(CpuContext target) {
        target.cpu.wake();
        ThreadRunner runner = target.runner;
        if (runner != null) {
            runner.requestReschedule();
        }
    }

    /**
     * Makes {@code runner} what {@code cpu}'s idle loop runs between halts
     * (null: nothing, the loop only halts), and wakes the CPU to look at it.
     *
     * @throws IllegalArgumentException naming a CPU that does not exist
     */
    public void setThreadRunner(int cpu, ThreadRunner runner) {
        if (cpu < 0 || cpu >= contexts.length) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (CPUs are 0.." + (contexts.length - 1)
                    + ")");
        }
        contexts[cpu].runner = runner;
        contexts[cpu].cpu.wake();
    }

    /**
     * Whether the calling thread is {@code cpu}'s vCPU inside interrupt
     * context: an interrupt entry or the deferred-work runner is on its stack,
     * where a thread must not yield or block.
     */
    public boolean inInterruptContext(int cpu) {
        CpuContext here = current();
        return here != null && here.id == cpu && (here.depth > 0 || here.runningDeferred);
    }

    @Override
    public void runOn(BitSet cpus, IntConsumer action) {
        Objects.requireNonNull(action, "action");
        if (cpus.length() > contexts.length) {
            throw new IllegalArgumentException("cross call to CPU " + (cpus.length() - 1) + ": no such CPU (CPUs are 0.."
                    + (contexts.length - 1) + ")");
        }
        if (cpus.isEmpty()) {
            return;
        }
        if (state != State.RUNNING) {
            throw new CpuStoppedException("cross call to CPUs " + cpus + ": the interrupt framework is not running");
        }
        CpuContext here = current();
        boolean local = here != null && cpus.get(here.id);
        CrossCallRequest call = new CrossCallRequest(action, cpus.cardinality());
        List<Integer> stopped = new ArrayList<>();
        List<CpuContext> posted = new ArrayList<>();
        cpus.stream().filter(cpu -> here == null || cpu != here.id).forEach(cpu -> {
            if (contexts[cpu].post(call)) {
                posted.add(contexts[cpu]);
            } else {
                stopped.add(cpu);
                call.done.countDown();
            }
        });
        for (CpuContext target : posted) {
            if (here != null) {
                controller.sendIpi(target.id);
            } else {
                attention(target);
            }
        }
        if (local) {
            boolean wereEnabled = here.cpu.disableInterrupts();
            try {
                runCall(here, call);
            } finally {
                if (wereEnabled) {
                    here.cpu.enableInterrupts();
                }
            }
        }
        awaitCall(here, call, cpus);
        report(call, stopped);
    }

    /**
     * Waits for every target. A vCPU that waits keeps running its own queued
     * cross calls: two CPUs calling each other with interrupts disabled would
     * otherwise wait for each other for ever.
     */
    private static void awaitCall(CpuContext here, CrossCallRequest call, BitSet cpus) {
        long start = System.nanoTime();
        boolean warned = false;
        boolean interrupted = false;
        while (true) {
            try {
                if (call.done.await(here == null ? 10_000 : 50, TimeUnit.MICROSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (here != null) {
                CrossCallRequest mine;
                while ((mine = here.nextCall()) != null) {
                    runCall(here, mine);
                }
            }
            if (!warned && System.nanoTime() - start > SLOW_CROSS_CALL.toNanos()) {
                warned = true;
                LOG.warn("cross call to CPUs {}: {} have not run it after {} s", cpus, call.done.getCount(),
                        SLOW_CROSS_CALL.toSeconds());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void report(CrossCallRequest call, List<Integer> stopped) {
        if (!call.failures.isEmpty()) {
            Map.Entry<Integer, Throwable> first = call.failures.entrySet().iterator().next();
            IllegalStateException failure = new IllegalStateException("cross call: the action threw on CPU "
                    + first.getKey() + ": " + first.getValue(), first.getValue());
            call.failures.values().stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
        if (!stopped.isEmpty()) {
            throw new CpuStoppedException("cross call: CPUs " + stopped + " are stopped; the other targets ran it");
        }
    }

    @Override
    public int cpus() {
        return contexts.length;
    }

    @Override
    public int maxPriority() {
        return controller.maxPriority();
    }

    @Override
    public InterruptRegistration request(InterruptRequest request, InterruptHandler handler) {
        return lines.request(request, handler);
    }

    @Override
    public DeferredWork deferredWork(String name, Runnable work) {
        return new DeferredTask(name, work, this, contexts.length);
    }

    @Override
    public CrossCall crossCall() {
        return this;
    }

    @Override
    public void setThreshold(int cpu, int threshold) {
        checkCpu(cpu);
        if (threshold < 0 || threshold > controller.maxPriority()) {
            throw new IllegalArgumentException("threshold " + threshold + " of CPU " + cpu + " is outside 0.."
                    + controller.maxPriority());
        }
        CpuContext here = current();
        if (here != null && here.id == cpu) {
            controller.setThreshold(cpu, threshold);
            here.threshold = threshold;
            return;
        }
        BitSet target = new BitSet();
        target.set(cpu);
        runOn(target, id -> {
            controller.setThreshold(id, threshold);
            contexts[id].threshold = threshold;
        });
    }

    @Override
    public int threshold(int cpu) {
        return contexts[checkCpu(cpu)].threshold;
    }

    @Override
    public void addTickListener(TickListener listener) {
        tickListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeTickListener(TickListener listener) {
        tickListeners.remove(listener);
    }

    /** What {@code interrupts} prints: the controller, the requested lines and each CPU's counters. */
    InterruptSnapshot snapshot() {
        List<InterruptSnapshot.Line> requested = lines.requested().stream().map(line -> {
            long[] counts = new long[contexts.length];
            for (int cpu = 0; cpu < counts.length; cpu++) {
                counts[cpu] = line.counts.get(cpu);
            }
            return new InterruptSnapshot.Line(line.line, counts, line.trigger, line.masked, line.names());
        }).toList();
        long[][] perCpu = new long[5][contexts.length];
        for (CpuContext context : contexts) {
            perCpu[0][context.id] = context.timerInterrupts.get();
            perCpu[1][context.id] = context.ipis.get();
            perCpu[2][context.id] = context.crossCalls.get();
            perCpu[3][context.id] = context.spurious.get();
            perCpu[4][context.id] = context.unknown.get();
        }
        return new InterruptSnapshot(controller.name(), contexts.length, requested, perCpu[0], perCpu[1], perCpu[2],
                perCpu[3], perCpu[4]);
    }

    private int checkCpu(int cpu) {
        if (cpu < 0 || cpu >= contexts.length) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (CPUs are 0.." + (contexts.length - 1)
                    + ")");
        }
        if (state != State.RUNNING) {
            throw new CpuStoppedException("CPU " + cpu + ": the interrupt framework is not running");
        }
        return cpu;
    }

    /** The CPU the calling thread is on, or null on a thread that is not one of this framework's vCPUs. */
    private CpuContext current() {
        if (!CURRENT.isBound()) {
            return null;
        }
        CpuContext context = CURRENT.get();
        return context.id < contexts.length && contexts[context.id] == context ? context : null;
    }
}

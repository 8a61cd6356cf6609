package org.astralisp.kernel.sched;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.sched.CpuStatistics;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.RunQueue.Arrival;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.ScheduledThread;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.irq.ThreadRunner;
import org.astralisp.machine.port.Cpu;

/**
 * One vCPU's scheduler: its run queue (the current policy's), the loop step
 * the interrupt framework's idle loop calls ({@link #runNext()}), the
 * safepoint its threads poll, and its time slice (docs/kernel.md, "The vCPU
 * executor" and "The scheduler and its policies").
 *
 * <h2>The loop</h2>
 * {@link #runNext()} clears needs-resched and takes the next thread from the
 * run queue; with the queue empty it first tries to steal one from a busier
 * vCPU ({@link Scheduler#steal}). A thread's first run settles it here for
 * good ({@link ContinuationThread#settleOn}; one whose new affinity leaves
 * this vCPU out goes elsewhere unrun). It arms the slice timer if others are
 * waiting, and runs the thread's continuation until it yields (requeued),
 * blocks (left to its unparker) or ends; the CPU time it used goes to the
 * policy ({@link RunQueue#ran}) before the thread can be woken elsewhere.
 * With nothing to run it cancels the slice timer, marks the vCPU idle and
 * answers false, and the idle loop halts.
 *
 * <h2>Making a thread runnable without a lost wake-up</h2>
 * {@link #enqueue} adds the thread and reads {@code idle} under the lock;
 * {@code runNext} finds the queue empty and sets {@code idle} under the same
 * lock. So an add after the last look sees {@code idle} and wakes the vCPU
 * ({@link Cpu#wake()}, any thread), whose next halt then returns at once. A
 * vCPU that is running a thread is marked needs-resched instead (wake-up
 * preemption): the running thread yields at its next safepoint and the loop
 * picks by the policy, so a woken higher-priority thread runs within one
 * slice. {@code enqueue} also checks the thread's affinity under the lock,
 * and sends a thread that may not run here to a vCPU where it may.
 *
 * <h2>Preemption</h2>
 * The time slice ({@link #SLICE}) runs only while another thread waits in the
 * queue; each slice end marks needs-resched, and the running thread yields at
 * its next {@link Safepoint#poll()}. A slice end that finds nobody waiting
 * stops the slice, and so does idling. Each slice end also balances the load
 * ({@link Scheduler#balance}). The slice shares the CPU's timer with the
 * CPU's kernel timers and timed waits ({@link VcpuTimers}, which arms it for
 * the earliest of them, and not at all when there is none): an idle vCPU with
 * no timers is not woken.
 *
 * <p>Threads: {@code running} and the slice belong to the vCPU's own thread
 * (the loop, its threads and its interrupt handlers). The queue and
 * {@code idle} are guarded by {@code lock} ({@code idle} is also read without
 * it, as a hint), and {@code needsResched} is volatile: any thread makes
 * threads runnable. The lock is never held across a switch or together with
 * another vCPU's lock.
 */
final class VcpuExecutor extends Safepoint implements ThreadRunner {

    /** The time slice while more than one thread is runnable on the vCPU. */
    static final long SLICE = 10_000_000L;

    private final int cpu;
    private final Cpu vcpu;
    private final VcpuTimers timers;
    private final Scheduler scheduler;
    private final InterruptFramework framework;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private RunQueue queue;
    /** Written under {@code lock}: the last {@link #runNext()} found nothing, and the loop halts. */
    private volatile boolean idle;
    private volatile boolean needsResched;
    /** The thread on the vCPU now; written by the vCPU's thread, read by anyone. */
    private volatile ContinuationThread running;
    /** The vCPU's host thread, once the loop ran on it. */
    private volatile Thread vcpuThread;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();
    private final AtomicLong pulled = new AtomicLong();

    VcpuExecutor(int cpu, Cpu vcpu, Timer timer, Scheduler scheduler, InterruptFramework framework, RunQueue queue) {
        this.cpu = cpu;
        this.vcpu = vcpu;
        this.timers = new VcpuTimers(cpu, vcpu, timer, framework, this::vcpuThread);
        this.scheduler = scheduler;
        this.framework = framework;
        this.queue = queue;
    }

    int cpu() {
        return cpu;
    }

    Thread vcpuThread() {
        return vcpuThread;
    }

    /** This vCPU's timer queue. */
    VcpuTimers timers() {
        return timers;
    }

    /** Timer interrupts this vCPU took (slice ends and kernel-timer deadlines). */
    long ticks() {
        return ticks.get();
    }

    /** Threads this vCPU has run (each run of a continuation). */
    long switches() {
        return switches.get();
    }

    /** Threads moved here from other vCPUs' queues. */
    long pulled() {
        return pulled.get();
    }

    /** The thread to run and the queue that gave it (which gets its CPU time). */
    private record Pick(ContinuationThread thread, RunQueue from, boolean contended) {
    }

    @Override
    public boolean runNext() {
        if (vcpuThread != Thread.currentThread()) {
            vcpuThread = Thread.currentThread();
            bindToCurrentThread();
        }
        needsResched = false;
        timers.reprogramIfChanged();
        Pick pick = take(false);
        if (pick == null && scheduler.steal(this)) {
            pick = take(false);
        }
        if (pick == null) {
            pick = take(true);
        }
        if (pick == null) {
            cancelSlice();
            return false;
        }
        if (pick.contended() && !timers.sliceRunning()) {
            timers.startSlice(SLICE);
        }
        ContinuationThread next = pick.thread();
        if (!next.settleOn(this)) {
            running = null;
            scheduler.place(next, Arrival.MIGRATED); // its affinity changed while it waited for its first run
            return true;
        }
        switches.incrementAndGet();
        ContinuationThread.Outcome outcome;
        try {
            outcome = next.run(this, pick.from());
        } finally {
            running = null;
        }
        switch (outcome) {
            case YIELDED -> scheduler.requeue(next);
            case ENDED -> scheduler.retire(next);
            case BLOCKED -> { }
        }
        return true;
    }

    /**
     * The queue's next thread, made {@code running}; with {@code markIdle}, an
     * empty queue marks the vCPU idle. Setting {@code running} under the lock
     * closes a window where a thread queued between the take and the run
     * would find neither a waiting queue (the take's look) nor a running
     * thread to preempt, and wait behind a CPU-bound thread for good.
     */
    private Pick take(boolean markIdle) {
        lock.lock();
        try {
            RunQueue from = queue;
            ContinuationThread next = (ContinuationThread) from.next();
            if (next == null) {
                idle = markIdle;
                return null;
            }
            idle = false;
            running = next; // under the lock: an enqueue after this sees it and marks needs-resched
            return new Pick(next, from, !from.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** {@code thread}'s run of {@code nanos} goes to the policy's account; own vCPU thread. */
    void account(RunQueue from, ContinuationThread thread, long nanos) {
        lock.lock();
        try {
            from.ran(thread, nanos);
        } finally {
            lock.unlock();
        }
    }

    private void cancelSlice() {
        if (timers.sliceRunning()) {
            timers.stopSlice();
        }
    }

    /**
     * Queues a RUNNABLE thread and gets the vCPU to run it; one its affinity
     * does not allow here goes where it may ({@link Scheduler#place}). See the
     * class comment. Any thread.
     */
    void enqueue(ContinuationThread thread, Arrival arrival) {
        boolean allowed;
        boolean wasIdle = false;
        int queued = 0;
        lock.lock();
        try {
            allowed = thread.attributes().allows(cpu);
            if (allowed) {
                thread.moveTo(this);
                queue.add(thread, arrival);
                queued = queue.size();
                wasIdle = idle;
                idle = false;
            }
        } finally {
            lock.unlock();
        }
        if (!allowed) {
            scheduler.place(thread, arrival);
            return;
        }
        boolean busy = running != null && running != thread;
        if (wasIdle) {
            vcpu.wake();
        } else if (busy) {
            needsResched = true;
        }
        if (busy || queued > 1) {
            scheduler.offload(this, thread);
        }
    }

    /** {@link #enqueue} of a thread another vCPU's queue gave up to this one. */
    void pull(ContinuationThread thread) {
        pulled.incrementAndGet();
        enqueue(thread, Arrival.MIGRATED);
    }

    /** Adds a thread stolen for this vCPU's own next run: no wake-up, it is about to look. */
    void adopt(ContinuationThread thread) {
        pulled.incrementAndGet();
        lock.lock();
        try {
            thread.moveTo(this);
            queue.add(thread, Arrival.MIGRATED);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes out the queued thread least urgent to run here that may run on
     * {@code thief} and has not run yet, for migration; null if there is none.
     */
    ContinuationThread takeFor(int thief) {
        lock.lock();
        try {
            List<ScheduledThread> queued = queue.threads();
            for (int i = queued.size() - 1; i >= 0; i--) {
                ScheduledThread candidate = queued.get(i);
                if (((ContinuationThread) candidate).movable() && candidate.attributes().allows(thief)
                        && queue.remove(candidate)) {
                    return (ContinuationThread) candidate;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code thread} out of the queue; false if it is not queued here. */
    boolean removeQueued(ContinuationThread thread) {
        lock.lock();
        try {
            return queue.remove(thread);
        } finally {
            lock.unlock();
        }
    }

    /** Runnable threads here: queued, and the running one. */
    int load() {
        lock.lock();
        try {
            return queue.size() + (running != null ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    /** Whether it was halted, or about to, with nothing to run at its last look (a hint). */
    boolean isIdle() {
        return idle;
    }

    /** Wakes the vCPU if it halts, so that its loop looks for work to steal. Any thread. */
    void kick() {
        vcpu.wake();
    }

    /**
     * The policy swap on this vCPU: its queued threads, in the old policy's
     * order, go into an empty queue of {@code policy}, under the lock, so
     * that no thread is between the two queues for anyone else to see.
     */
    void switchTo(SchedulingPolicy policy) {
        RunQueue fresh = policy.runQueue(cpu);
        lock.lock();
        try {
            for (ScheduledThread thread : queue.threads()) {
                fresh.add(thread, Arrival.MIGRATED);
            }
            queue = fresh;
        } finally {
            lock.unlock();
        }
    }

    CpuStatistics statistics() {
        int queued;
        lock.lock();
        try {
            queued = queue.size();
        } finally {
            lock.unlock();
        }
        ContinuationThread now = running;
        return new CpuStatistics(cpu, queued, now == null ? null : now.name(), switches.get(), ticks.get(),
                pulled.get());
    }

    /** A timer interrupt on this vCPU: due timers, then the slice (interrupt context, own thread). */
    void tick() {
        ticks.incrementAndGet();
        if (timers.expire()) {
            sliceEnded();
        }
        timers.reprogram();
    }

    private void sliceEnded() {
        boolean contended;
        lock.lock();
        try {
            contended = !queue.isEmpty();
        } finally {
            lock.unlock();
        }
        if (contended) {
            needsResched = true;
            timers.continueSlice(SLICE);
        } else {
            cancelSlice();
        }
        scheduler.balance();
    }

    @Override
    public void requestReschedule() {
        needsResched = true;
    }

    @Override
    protected void arrive() {
        vcpu.pollInterrupts();
        timers.reprogramIfChanged();
        if (needsResched) {
            preempt();
        }
    }

    /**
     * The slow path of a poll: yield, unless there is no thread to yield or
     * this is interrupt context; back on the vCPU, the thread attends to a
     * pending {@link KernelThread#requestAttention()} (a signal).
     */
    private void preempt() {
        ContinuationThread thread = running;
        if (thread == null || framework.inInterruptContext(cpu) || !thread.isCurrentContinuation()) {
            return;
        }
        needsResched = false;
        thread.yieldNow();
        KernelThread.attend();
    }

    @Override
    protected KernelThread running() {
        return running;
    }

    @Override
    protected void yieldRunning() {
        ContinuationThread thread = running;
        if (thread == null || !thread.isCurrentContinuation()) {
            throw new IllegalStateException("yield on CPU " + cpu + ": the caller is not a kernel thread");
        }
        checkMayYield(thread, "yield");
        thread.yieldNow();
    }

    /** @throws IllegalStateException in interrupt context, where a thread must not give up its vCPU */
    void checkMayYield(ContinuationThread thread, String operation) {
        if (framework.inInterruptContext(cpu)) {
            throw new IllegalStateException(operation + " of kernel thread '" + thread.name() + "' on CPU " + cpu
                    + " in interrupt context: an interrupt handler must not block or yield");
        }
    }

    /** Unbinds the safepoint from the vCPU thread (on that thread). */
    void unbind() {
        unbindFromCurrentThread();
    }
}

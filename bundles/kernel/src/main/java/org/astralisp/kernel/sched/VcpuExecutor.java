package org.astralisp.kernel.sched;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.irq.ThreadRunner;
import org.astralisp.machine.port.Cpu;

/**
 * One vCPU's scheduler: its run queue, the loop step the interrupt
 * framework's idle loop calls ({@link #runNext()}), the safepoint its threads
 * poll, and its time slice (docs/kernel.md, "The vCPU executor").
 *
 * <h2>The loop</h2>
 * {@link #runNext()} clears needs-resched, takes the next thread from the run
 * queue, arms the slice timer if others are waiting, and runs the thread's
 * continuation until it yields (requeued at the tail), blocks (left to its
 * unparker) or ends. With an empty queue it cancels the slice timer, marks the
 * vCPU idle and answers false, and the idle loop halts.
 *
 * <h2>Making a thread runnable without a lost wake-up</h2>
 * {@link #makeRunnable} adds the thread and reads {@code idle} under the lock;
 * {@code runNext} finds the queue empty and sets {@code idle} under the same
 * lock. So an add after the last look sees {@code idle} and wakes the vCPU
 * ({@link Cpu#wake()}, any thread), whose next halt then returns at once. A
 * vCPU that is running a thread is marked needs-resched instead (wake-up
 * preemption): the running thread yields at its next safepoint and the loop,
 * finding two runnable threads, arms the slice timer.
 *
 * <h2>Preemption</h2>
 * The time slice ({@link #SLICE}) runs only while another thread waits in the
 * queue; each slice end marks needs-resched, and the running thread yields at
 * its next {@link Safepoint#poll()}. A slice end that finds nobody waiting
 * stops the slice, and so does idling. The slice shares the CPU's timer with
 * the CPU's kernel timers and timed waits ({@link VcpuTimers}, which arms it
 * for the earliest of them, and not at all when there is none): an idle vCPU
 * with no timers is not woken.
 *
 * <p>Threads: {@code running} and the slice belong to the vCPU's own thread
 * (the loop, its threads and its interrupt handlers). The
 * queue and {@code idle} are guarded by {@code lock}, and {@code needsResched}
 * is volatile: any thread makes threads runnable.
 */
final class VcpuExecutor extends Safepoint implements ThreadRunner {

    /** The time slice while more than one thread is runnable on the vCPU. */
    static final long SLICE = 10_000_000L;

    private final int cpu;
    private final Cpu vcpu;
    private final VcpuTimers timers;
    private final Scheduler scheduler;
    private final InterruptFramework framework;
    private final RunQueue queue;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: the last {@link #runNext()} found nothing, and the loop halts. */
    private boolean idle;
    private volatile boolean needsResched;
    /** The thread on the vCPU now; written by the vCPU's thread, read by anyone. */
    private volatile ContinuationThread running;
    /** The vCPU's host thread, once the loop ran on it. */
    private volatile Thread vcpuThread;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong switches = new AtomicLong();

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

    Scheduler scheduler() {
        return scheduler;
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

    @Override
    public boolean runNext() {
        if (vcpuThread != Thread.currentThread()) {
            vcpuThread = Thread.currentThread();
            bindToCurrentThread();
        }
        needsResched = false;
        timers.reprogramIfChanged();
        ContinuationThread next;
        boolean contended;
        lock.lock();
        try {
            next = queue.next();
            idle = next == null;
            contended = !queue.isEmpty();
        } finally {
            lock.unlock();
        }
        if (next == null) {
            cancelSlice();
            return false;
        }
        if (contended && !timers.sliceRunning()) {
            timers.startSlice(SLICE);
        }
        running = next;
        switches.incrementAndGet();
        ContinuationThread.Outcome outcome;
        try {
            outcome = next.run();
        } finally {
            running = null;
        }
        if (outcome == ContinuationThread.Outcome.YIELDED) {
            makeRunnable(next);
        }
        return true;
    }

    private void cancelSlice() {
        if (timers.sliceRunning()) {
            timers.stopSlice();
        }
    }

    /** Queues a RUNNABLE thread and gets the vCPU to run it; see the class comment. Any thread. */
    void makeRunnable(ContinuationThread thread) {
        boolean wasIdle;
        lock.lock();
        try {
            queue.add(thread);
            wasIdle = idle;
            idle = false;
        } finally {
            lock.unlock();
        }
        if (wasIdle) {
            vcpu.wake();
        } else if (running != null && running != thread) {
            needsResched = true;
        }
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

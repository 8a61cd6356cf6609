package org.astralisp.kernel.sched;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.PinnedYieldException;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.ScheduledThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kernel thread as a one-shot continuation that its {@link VcpuExecutor}
 * runs on the vCPU's own thread; a switch is a {@link Continuation#yield}
 * back to the executor's loop.
 *
 * <h2>States and the park protocol</h2>
 * {@code state} is NEW, RUNNABLE, RUNNING, PARKING, BLOCKED or DEAD (PARKING:
 * it has decided to block and is yielding; reported as RUNNING). The thread
 * writes RUNNING to PARKING itself; the executor, after the yield, writes
 * BLOCKED and then reads {@code permit}; {@link #unpark()} writes
 * {@code permit} and then reads the state and CASes BLOCKED to RUNNABLE. Both
 * pairs are volatile (Dekker), so at least one side sees the other: either the
 * executor sees the permit and requeues the thread, or the unparker sees
 * BLOCKED and requeues it; the CAS makes it exactly one. This is
 * {@code java.lang.VirtualThread}'s park/unpark.
 *
 * <h2>Its vCPU</h2>
 * {@code executor} is the vCPU whose queue holds it, that runs it, or that
 * ran it last. It changes only while the thread is in nobody's queue and not
 * running, and only until its first run ({@code settled}): from then on the
 * continuation stays on that vCPU's host thread. A continuation resumed on
 * another host thread is not safe on HotSpot: C2 treats
 * {@code Thread.currentThread()} as immutable within a compiled frame (it is,
 * for virtual threads), so a compiled frame that spans the yield keeps the
 * old host thread, and every check or lookup through it (thread-locals,
 * scoped values, the machine's "only the vCPU itself" checks) sees the vCPU
 * the thread left; measured, docs/kernel.md "The scheduler and its policies".
 */
final class ContinuationThread extends KernelThread implements ScheduledThread {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuationThread.class);
    static final ContinuationScope SCOPE = new ContinuationScope("astralisp-vcpu");

    static final int NEW = 0;
    static final int RUNNABLE = 1;
    static final int RUNNING = 2;
    static final int PARKING = 3;
    static final int BLOCKED = 4;
    static final int DEAD = 5;

    private final String name;
    private final long serial;
    private final boolean placeOnStart;
    private final Scheduler scheduler;
    private volatile VcpuExecutor executor;
    /**
     * Set at its first run: from then on it never leaves {@code executor}.
     * Written, and {@code attributes} changed, only under {@code settling}, so
     * that a settled thread's affinity always allows its vCPU.
     */
    private volatile boolean settled;
    private final ReentrantLock settling = new ReentrantLock();
    private volatile SchedulingAttributes attributes;
    /** The policy's slot; touched only under the lock of the queue that holds it, or by its vCPU. */
    private volatile Object policyState;
    private final Continuation continuation;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile boolean permit;
    /** CPU time of the runs that ended; with {@code runningSince} under the seqlock {@code accounting}. */
    private volatile long cpuNanos;
    /** When the current run started ({@code System.nanoTime}), 0 when not running. */
    private volatile long runningSince;
    /** Odd while its own vCPU thread changes {@code cpuNanos} and {@code runningSince} (a seqlock, one writer). */
    private volatile long accounting;
    private volatile Throwable failure;
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * @param serial       its number in creation order
     * @param executor     the vCPU it starts on, unless {@code placeOnStart}
     * @param placeOnStart whether {@link #start()} lets the scheduler choose its first vCPU
     */
    ContinuationThread(long serial, String name, Scheduler scheduler, VcpuExecutor executor, boolean placeOnStart,
            SchedulingAttributes attributes, Runnable body) {
        this.serial = serial;
        this.placeOnStart = placeOnStart;
        this.name = Objects.requireNonNull(name, "name");
        this.scheduler = scheduler;
        this.executor = executor;
        this.attributes = Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
        this.continuation = new Continuation(SCOPE, () -> runBody(body)) {
            @Override
            protected void onPinned(Continuation.Pinned reason) {
                throw new PinnedYieldException(ContinuationThread.this.name, cpu(), reason.name());
            }
        };
    }

    private void runBody(Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("kernel thread '{}' on CPU {} ended by an exception", name, cpu(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public State state() {
        return switch (state.get()) {
            case NEW -> State.NEW;
            case RUNNABLE -> State.RUNNABLE;
            case RUNNING, PARKING -> State.RUNNING;
            case BLOCKED -> State.BLOCKED;
            default -> State.DEAD;
        };
    }

    @Override
    public int cpu() {
        return executor.cpu();
    }

    long serial() {
        return serial;
    }

    boolean placeOnStart() {
        return placeOnStart;
    }

    VcpuExecutor executor() {
        return executor;
    }

    /** Moves it to {@code target}; only while it is in no queue and not running (see the class comment). */
    void moveTo(VcpuExecutor target) {
        if (settled && target != executor) {
            throw new IllegalStateException(this + " has run on CPU " + executor.cpu()
                    + " and cannot move to CPU " + target.cpu());
        }
        executor = target;
    }

    /**
     * Settles it on {@code here} before its first run; false if its affinity,
     * changed since it was queued, leaves {@code here} out (it has not run,
     * and goes elsewhere). Own vCPU thread.
     */
    boolean settleOn(VcpuExecutor here) {
        if (settled) {
            return true;
        }
        settling.lock();
        try {
            if (!attributes.allows(here.cpu())) {
                return false;
            }
            settled = true;
            return true;
        } finally {
            settling.unlock();
        }
    }

    /** Whether it has not run yet, so it may still move to another vCPU. */
    boolean movable() {
        return !settled;
    }

    @Override
    public SchedulingAttributes attributes() {
        return attributes;
    }

    @Override
    public void setAttributes(SchedulingAttributes changed) {
        scheduler.checkAffinity(changed);
        settling.lock();
        try {
            VcpuExecutor home = executor;
            if (settled && !changed.allows(home.cpu())) {
                throw new IllegalStateException(this + " has run on CPU " + home.cpu() + ", which its new affinity "
                        + changed.affinityText(scheduler.cpus())
                        + " leaves out: a thread stays on the vCPU it first ran on");
            }
            attributes = changed;
        } finally {
            settling.unlock();
        }
        scheduler.resettle(this);
    }

    @Override
    public Object policyState() {
        return policyState;
    }

    @Override
    public void policyState(Object state) {
        policyState = state;
    }

    boolean isDead() {
        return state.get() == DEAD;
    }

    /**
     * CPU time used, including the run in progress, so that a thread that
     * runs alone and never yields is seen to use its CPU (the CPU limit's
     * check reads it from another CPU). A seqlock: retried while its vCPU
     * thread is between the two writes of a run's start or end.
     */
    @Override
    public Duration cpuTime() {
        while (true) {
            long before = accounting;
            long nanos = cpuNanos;
            long since = runningSince;
            if ((before & 1) == 0 && accounting == before) {
                return Duration.ofNanos(since == 0 ? nanos : nanos + Math.max(0, System.nanoTime() - since));
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void start() {
        if (!state.compareAndSet(NEW, RUNNABLE)) {
            throw new IllegalStateException(this + " was started already");
        }
        scheduler.admit(this);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        if (scheduler.onVcpuThread()) {
            throw new IllegalStateException("join of " + this + " from vCPU thread '"
                    + Thread.currentThread().getName() + "': it would hold the vCPU; block on a WaitQueue instead");
        }
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    protected void park() {
        if (permit) {
            permit = false;
            return;
        }
        executor.checkMayYield(this, "park");
        state.set(PARKING);
        try {
            Continuation.yield(SCOPE);
            permit = false; // resumed by the unpark that set it
        } finally {
            if (state.get() == PARKING) {
                state.set(RUNNING); // the yield failed (pinned): still on the vCPU
            }
        }
    }

    @Override
    protected void unpark() {
        permit = true;
        if (state.get() == BLOCKED && state.compareAndSet(BLOCKED, RUNNABLE)) {
            scheduler.wake(this);
        }
    }

    /** The permit makes a park in progress (or the next) return; a running thread's vCPU polls slowly once. */
    @Override
    protected void notifyAttention() {
        unpark();
        if (state.get() == RUNNING) {
            executor.requestReschedule();
        }
    }

    /**
     * Parks with a wake-up queued on its vCPU's timer queue for
     * {@code deadline} (run in the timer interrupt: an unpark), cancelled
     * when the park returns for another reason.
     */
    @Override
    protected void parkUntil(long deadline) {
        if (permit) {
            permit = false;
            return;
        }
        VcpuTimers timers = executor.timers();
        if (timers.now() >= deadline) {
            return;
        }
        executor.checkMayYield(this, "park");
        VcpuTimer wakeUp = timers.arm(deadline, 0, true, this::unpark);
        try {
            park();
        } finally {
            wakeUp.cancel();
        }
    }

    @Override
    protected long nanoTime() {
        return executor.timers().now();
    }

    /** Yields to the executor's loop, which requeues it. */
    void yieldNow() {
        Continuation.yield(SCOPE);
    }

    boolean isCurrentContinuation() {
        return Continuation.getCurrentContinuation(SCOPE) == continuation;
    }

    /**
     * Runs it ({@link #settleOn} first) until it yields, blocks or ends, accounts the CPU time it used
     * to {@code from}, the queue that gave it, then tells what it did: the executor's side of the park
     * protocol. Own vCPU thread.
     */
    Outcome run(VcpuExecutor runner, RunQueue from) {
        state.set(RUNNING);
        if (attentionPending()) {
            // asked while queued or not yet started: take the slow path at the first poll. Set RUNNING, then read the
            // flag; notifyAttention sets the flag, then reads RUNNING: one of the two asks for the reschedule.
            runner.requestReschedule();
        }
        long start = System.nanoTime();
        accounting++;
        runningSince = start;
        accounting++;
        try {
            continuation.run();
        } finally {
            long ran = System.nanoTime() - start;
            accounting++;
            cpuNanos += ran;
            runningSince = 0;
            accounting++;
            runner.account(from, this, ran); // before the park protocol below makes it wakeable
        }
        if (continuation.isDone()) {
            state.set(DEAD);
            ended.countDown();
            return Outcome.ENDED;
        }
        if (state.get() == PARKING) {
            state.set(BLOCKED);
            if (permit && state.compareAndSet(BLOCKED, RUNNABLE)) {
                permit = false;
                return Outcome.YIELDED;
            }
            return Outcome.BLOCKED;
        }
        state.set(RUNNABLE);
        return Outcome.YIELDED;
    }

    enum Outcome { YIELDED, BLOCKED, ENDED }

}

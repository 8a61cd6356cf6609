package org.astralisp.kernel.sched;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.PinnedYieldException;
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
 */
final class ContinuationThread extends KernelThread {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuationThread.class);
    static final ContinuationScope SCOPE = new ContinuationScope("astralisp-vcpu");

    static final int NEW = 0;
    static final int RUNNABLE = 1;
    static final int RUNNING = 2;
    static final int PARKING = 3;
    static final int BLOCKED = 4;
    static final int DEAD = 5;

    private final String name;
    private final VcpuExecutor executor;
    private final Continuation continuation;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile boolean permit;
    private volatile long cpuNanos;
    private volatile Throwable failure;
    private final CountDownLatch ended = new CountDownLatch(1);

    ContinuationThread(String name, VcpuExecutor executor, Runnable body) {
        this.name = Objects.requireNonNull(name, "name");
        this.executor = executor;
        Objects.requireNonNull(body, "body");
        this.continuation = new Continuation(SCOPE, () -> runBody(body)) {
            @Override
            protected void onPinned(Continuation.Pinned reason) {
                throw new PinnedYieldException(ContinuationThread.this.name, executor.cpu(), reason.name());
            }
        };
    }

    private void runBody(Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("kernel thread '{}' on CPU {} ended by an exception", name, executor.cpu(), e);
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

    @Override
    public Duration cpuTime() {
        return Duration.ofNanos(cpuNanos);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(NEW, RUNNABLE)) {
            throw new IllegalStateException(this + " was started already");
        }
        executor.makeRunnable(this);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        if (executor.scheduler().onVcpuThread()) {
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
            executor.makeRunnable(this);
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
     * Runs it until it yields, blocks or ends; then tells what it did: the
     * executor's side of the park protocol. Own vCPU thread.
     */
    Outcome run() {
        state.set(RUNNING);
        if (attentionPending()) {
            // asked while queued or not yet started: take the slow path at the first poll. Set RUNNING, then read the
            // flag; notifyAttention sets the flag, then reads RUNNING: one of the two asks for the reschedule.
            executor.requestReschedule();
        }
        long start = System.nanoTime();
        try {
            continuation.run();
        } finally {
            cpuNanos += System.nanoTime() - start;
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

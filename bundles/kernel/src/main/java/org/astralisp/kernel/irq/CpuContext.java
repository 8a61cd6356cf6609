package org.astralisp.kernel.irq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.machine.port.Cpu;

/**
 * The framework's state for one CPU: its counters, its cross-call mailbox and
 * its deferred-work queue, and where its vCPU is in the dispatch path.
 *
 * <p>Threads and locking: {@code depth} and {@code runningDeferred} are read
 * and written only by the CPU's own vCPU thread. The counters are written by
 * that thread and read by anyone ({@code interrupts}). The two queues and
 * {@code accepting} are guarded by this object's monitor: other CPUs and
 * threads post into them, the CPU takes from them. Invariant: once the CPU has
 * closed its queues on its way out ({@link #close}), nothing more is accepted,
 * so nothing posted is ever stranded on a stopped CPU: a post either lands
 * before the close (and the close hands it back to be run) or is refused.
 */
final class CpuContext {

    final int id;
    final Cpu cpu;
    final Timer timer;

    final AtomicLong timerInterrupts = new AtomicLong();
    final AtomicLong ipis = new AtomicLong();
    final AtomicLong crossCalls = new AtomicLong();
    final AtomicLong spurious = new AtomicLong();
    final AtomicLong unknown = new AtomicLong();

    /** Interrupt entries on the stack of this CPU's thread. Own thread only. */
    int depth;
    /** The deferred-work runner is on the stack of this CPU's thread. Own thread only. */
    boolean runningDeferred;
    /** Set by {@code stop}: the idle loop returns at its next wake-up. */
    volatile boolean stopRequested;
    volatile int threshold;
    /** What the idle loop runs between halts (the scheduler's executor), or null. */
    volatile ThreadRunner runner;

    private final ArrayDeque<CrossCallRequest> calls = new ArrayDeque<>();
    private final ArrayDeque<DeferredTask> deferred = new ArrayDeque<>();
    private boolean accepting;

    CpuContext(int id, Cpu cpu, Timer timer) {
        this.id = id;
        this.cpu = cpu;
        this.timer = timer;
    }

    /** Opens the queues: the CPU is about to take interrupts. */
    synchronized void open() {
        accepting = true;
    }

    /** Queues {@code call}; false if the CPU is stopped (or stopping past its last look). */
    synchronized boolean post(CrossCallRequest call) {
        if (accepting) {
            calls.add(call);
        }
        return accepting;
    }

    synchronized CrossCallRequest nextCall() {
        return calls.poll();
    }

    /** Queues {@code task}; false if the CPU is stopped. */
    synchronized boolean post(DeferredTask task) {
        if (accepting) {
            deferred.add(task);
        }
        return accepting;
    }

    synchronized DeferredTask nextTask() {
        return deferred.poll();
    }

    synchronized boolean hasWork() {
        return !calls.isEmpty() || !deferred.isEmpty();
    }

    /** Refuses everything from now on; returns the calls and tasks still queued, for the CPU to run. */
    synchronized Leftovers close() {
        accepting = false;
        Leftovers left = new Leftovers(new ArrayList<>(calls), new ArrayList<>(deferred));
        calls.clear();
        deferred.clear();
        return left;
    }

    record Leftovers(List<CrossCallRequest> calls, List<DeferredTask> tasks) {
    }
}

package org.astralisp.kernel.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.api.irq.DeferredWork;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.machine.port.Cpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vCPU's timer queue, multiplexed with the scheduler's time slice onto
 * the CPU's one HAL {@link Timer} (docs/kernel.md, "Blocking, timers and
 * IPC"): the timer is armed, one-shot, for the earliest of the slice end and
 * the earliest queued deadline, and not at all when there is neither
 * (tickless: an idle vCPU with no timers takes no timer interrupt).
 *
 * <h2>Who touches what</h2>
 * The HAL timer is programmed on its own CPU only, so {@code slice},
 * {@code armed} and the programming belong to the vCPU's thread (its loop,
 * its kernel threads, its interrupt handlers and deferred work; none of them
 * polls for interrupts inside these methods, so they never interleave). The
 * deadlines and the list of due calls are guarded by {@code lock}
 * ({@link ReentrantLock}, held for a few field accesses, never across a
 * poll): any thread arms and cancels timers.
 *
 * <h2>Arming from another thread without a lost deadline</h2>
 * A thread that is not this vCPU and queues a deadline earlier than every
 * other one sets {@code changed} and then {@link Cpu#wake() wakes} the vCPU.
 * The vCPU clears {@code changed} before it reads the earliest deadline
 * ({@link #reprogram()}), and looks at it in every loop step and at every
 * safepoint ({@link #reprogramIfChanged()}). A deadline queued after that
 * read sets it again, and its wake makes a halt that follows return at once,
 * into the loop that looks.
 *
 * <h2>Expiry</h2>
 * The timer interrupt ({@link #expire()}) takes every deadline that has
 * passed on the HAL clock: a thread's timed park is unparked there and then;
 * a kernel timer's call is queued for the CPU's deferred work, which runs it
 * with interrupts enabled after the interrupt is completed. A periodic timer
 * is queued again for the next {@code start + k·period} after now, the
 * periods it skipped counted as overruns, and counted an overrun too if its
 * previous call has not started yet. {@link #cancel} and the start of a call
 * are decided under the lock, so a call never starts after its cancel
 * returned. After every interrupt {@code armed} is forgotten and the timer
 * programmed again: an interrupt that was stale (programmed before a later
 * re-arm) then costs one reprogramming, never a lost deadline.
 *
 * <p>Every arch timer's range covers {@link #LONGEST_ARM} (the ppc64
 * decrementer's is 4.19 s); a later deadline is reached by re-arming at each
 * interrupt.
 */
final class VcpuTimers {

    private static final Logger LOG = LoggerFactory.getLogger(VcpuTimers.class);

    /** No deadline. */
    static final long NONE = Long.MAX_VALUE;
    /** The longest interval the HAL timer is armed for at once. */
    static final long LONGEST_ARM = 1_000_000_000L;

    private final int cpu;
    private final Cpu vcpu;
    private final Timer timer;
    private final Supplier<Thread> vcpuThread;
    private final DeferredWork calls;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: the armed deadlines, earliest first. */
    private final TreeSet<VcpuTimer> deadlines = new TreeSet<>();
    /** Guarded by {@code lock}: expired kernel timers whose call has not started. */
    private final ArrayDeque<VcpuTimer> due = new ArrayDeque<>();
    /** Guarded by {@code lock}. */
    private long sequence;
    /** Another thread queued a deadline earlier than all others: the vCPU must reprogram. */
    private volatile boolean changed;
    /** Own thread: when the running thread's time slice ends, or {@link #NONE}. */
    private long slice = NONE;
    /** Own thread: the deadline the HAL timer is armed for, or {@link #NONE} when it is cancelled. */
    private long armed = NONE;

    VcpuTimers(int cpu, Cpu vcpu, Timer timer, InterruptManager interrupts, Supplier<Thread> vcpuThread) {
        this.cpu = cpu;
        this.vcpu = vcpu;
        this.timer = timer;
        this.vcpuThread = vcpuThread;
        this.calls = interrupts.deferredWork("kernel timers of CPU " + cpu, this::runCalls);
    }

    int cpu() {
        return cpu;
    }

    /** The kernel's clock: the HAL timer's, common to all CPUs. Any thread. */
    long now() {
        return timer.now();
    }

    /** Queues a deadline; see the class comment for another thread. Any thread. */
    VcpuTimer arm(long deadline, long period, boolean inInterrupt, Runnable action) {
        VcpuTimer entry = new VcpuTimer(this, deadline, period, inInterrupt, action);
        boolean earliest;
        lock.lock();
        try {
            entry.sequence = sequence++;
            entry.armed = true;
            deadlines.add(entry);
            earliest = deadlines.first() == entry;
        } finally {
            lock.unlock();
        }
        if (earliest) {
            if (onOwnCpu()) {
                reprogram();
            } else {
                changed = true;
                vcpu.wake();
            }
        }
        return entry;
    }

    /** {@link VcpuTimer#cancel()}. Any thread. */
    boolean cancel(VcpuTimer entry) {
        boolean prevented;
        lock.lock();
        try {
            if (entry.cancelled) {
                return false;
            }
            entry.cancelled = true;
            prevented = entry.armed || entry.due;
            if (entry.armed) {
                deadlines.remove(entry);
                entry.armed = false;
            }
            if (entry.due) {
                due.remove(entry);
                entry.due = false;
            }
        } finally {
            lock.unlock();
        }
        if (prevented && onOwnCpu()) {
            reprogram(); // not to take an interrupt for a deadline that is gone
        }
        return prevented;
    }

    private boolean onOwnCpu() {
        return vcpuThread.get() == Thread.currentThread();
    }

    /** The scheduler gives the running thread a slice ending {@code nanos} from now. Own thread. */
    void startSlice(long nanos) {
        slice = timer.now() + nanos;
        reprogram();
    }

    /** The slice ended and another thread waits: the next slice follows on, without drift. Own thread. */
    void continueSlice(long nanos) {
        long now = timer.now();
        slice += nanos;
        if (slice <= now) {
            slice = now + nanos;
        }
    }

    /** No slice any more (nobody else waits, or the vCPU idles). Own thread. */
    void stopSlice() {
        slice = NONE;
        reprogram();
    }

    boolean sliceRunning() {
        return slice != NONE;
    }

    /** At a loop step or a safepoint: reprogram if another thread queued an earlier deadline. Own thread. */
    void reprogramIfChanged() {
        if (changed) {
            reprogram();
        }
    }

    /**
     * Arms the HAL timer for the earliest of the slice end and the earliest
     * deadline, or cancels it if there is neither; touches it only when that
     * changed. Own thread.
     */
    void reprogram() {
        changed = false;
        long next;
        lock.lock();
        try {
            next = deadlines.isEmpty() ? NONE : deadlines.first().deadline;
        } finally {
            lock.unlock();
        }
        next = Math.min(next, slice);
        if (next == armed) {
            return;
        }
        if (next == NONE) {
            timer.cancel();
        } else {
            timer.oneShot(Math.clamp(next - timer.now(), 1, LONGEST_ARM));
        }
        armed = next;
    }

    /**
     * The timer interrupt on this CPU (interrupt context): runs the wake-ups
     * that are due, queues the kernel timers' calls, and answers whether the
     * slice ended. The caller then decides about the slice and
     * {@link #reprogram()}s.
     */
    boolean expire() {
        armed = NONE;
        long now = timer.now();
        List<VcpuTimer> wakeUps = new ArrayList<>();
        boolean calling = false;
        lock.lock();
        try {
            while (!deadlines.isEmpty() && deadlines.first().deadline <= now) {
                VcpuTimer entry = deadlines.pollFirst();
                entry.armed = false;
                if (entry.inInterrupt) {
                    wakeUps.add(entry);
                    continue;
                }
                if (entry.period > 0) {
                    long skipped = (now - entry.deadline) / entry.period;
                    entry.countOverruns(skipped);
                    entry.deadline += (skipped + 1) * entry.period;
                    entry.sequence = sequence++;
                    entry.armed = true;
                    deadlines.add(entry);
                }
                if (entry.due) {
                    entry.countOverruns(1); // its previous call has not started: this expiry folds into it
                } else {
                    entry.due = true;
                    due.add(entry);
                    calling = true;
                }
            }
        } finally {
            lock.unlock();
        }
        for (VcpuTimer wakeUp : wakeUps) {
            wakeUp.countFired();
            wakeUp.action.run();
        }
        if (calling) {
            calls.schedule();
        }
        return slice <= now;
    }

    /** The CPU's deferred work: each due call, started only if its timer was not cancelled meanwhile. */
    private void runCalls() {
        while (true) {
            VcpuTimer entry;
            lock.lock();
            try {
                entry = due.poll();
                if (entry == null) {
                    return;
                }
                entry.due = false;
                if (entry.period == 0) {
                    entry.cancelled = true; // a one-shot timer is spent once its call starts
                }
                entry.countFired();
            } finally {
                lock.unlock();
            }
            try {
                entry.action.run();
            } catch (RuntimeException | AssertionError | LinkageError e) {
                LOG.error("CPU {}: the action of {} threw; a periodic timer stays armed", cpu, entry, e);
            }
        }
    }
}

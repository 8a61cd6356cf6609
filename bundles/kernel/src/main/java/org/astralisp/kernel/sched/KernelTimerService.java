package org.astralisp.kernel.sched;

import java.time.Duration;
import java.util.Objects;
import org.astralisp.kernel.api.sched.KernelTimer;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.sched.Timeouts;

/**
 * {@link KernelTimers} on a {@link Scheduler}'s vCPUs: each timer goes to its
 * CPU's {@link VcpuTimers} queue.
 */
public final class KernelTimerService implements KernelTimers {

    private final Scheduler scheduler;

    public KernelTimerService(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public long now() {
        return scheduler.executor(0).timers().now();
    }

    @Override
    public KernelTimer oneShot(int cpu, Duration delay, Runnable action) {
        long nanos = Timeouts.nanos(delay, "one-shot kernel timer on CPU " + cpu);
        Objects.requireNonNull(action, "action");
        VcpuTimers timers = scheduler.executor(cpu).timers();
        return timers.arm(Timeouts.deadline(timers.now(), nanos), 0, false, action);
    }

    @Override
    public KernelTimer periodic(int cpu, Duration period, Runnable action) {
        long nanos = Timeouts.nanos(period, "periodic kernel timer on CPU " + cpu);
        if (nanos == 0) {
            throw new IllegalArgumentException("periodic kernel timer on CPU " + cpu + ": period " + period
                    + " is not positive");
        }
        Objects.requireNonNull(action, "action");
        VcpuTimers timers = scheduler.executor(cpu).timers();
        return timers.arm(Timeouts.deadline(timers.now(), nanos), nanos, false, action);
    }
}

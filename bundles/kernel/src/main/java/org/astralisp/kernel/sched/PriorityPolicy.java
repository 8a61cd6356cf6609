package org.astralisp.kernel.sched;

import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * {@code priority}: strict priority with real-time, normal and idle classes
 * ({@link PriorityRunQueue}). A woken thread makes its vCPU reschedule at the
 * running thread's next safepoint, so a higher-priority thread runs within
 * one time slice of its wake-up.
 */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=" + PriorityPolicy.NAME)
public final class PriorityPolicy implements SchedulingPolicy {

    static final String NAME = "priority";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "strict priority: real-time > normal > idle, then priority 99..0, round robin within a level";
    }

    @Override
    public RunQueue runQueue(int cpu) {
        return new PriorityRunQueue();
    }
}

package org.astralisp.kernel.sched;

import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.osgi.service.component.annotations.Component;

/** {@code rr}: one FIFO queue per vCPU, a thread runs until it blocks, yields or its slice ends. */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=" + RoundRobinPolicy.NAME)
public final class RoundRobinPolicy implements SchedulingPolicy {

    static final String NAME = "rr";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "round robin: FIFO per vCPU, 10 ms slices";
    }

    @Override
    public RunQueue runQueue(int cpu) {
        return new FifoRunQueue();
    }
}

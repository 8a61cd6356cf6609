package org.astralisp.kernel.sched;

import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.osgi.service.component.annotations.Component;

/** {@code fair}: CPU in proportion to weight by nice value, least virtual runtime first ({@link FairRunQueue}). */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=" + FairSharePolicy.NAME)
public final class FairSharePolicy implements SchedulingPolicy {

    static final String NAME = "fair";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "fair share (CFS-like): least virtual runtime first, weights by nice -20..19";
    }

    @Override
    public RunQueue runQueue(int cpu) {
        return new FairRunQueue();
    }
}

package org.astralisp.kernel.api.sched;

/**
 * A scheduling policy: what orders each vCPU's runnable threads. Registered
 * as an OSGi service with the property {@code name} equal to {@link #name()};
 * the scheduler uses one at a time and swaps between them live
 * ({@link CpuScheduler#setPolicy}), moving every queued thread into the new
 * policy's queues.
 */
public interface SchedulingPolicy {

    /** The service property that carries {@link #name()}. */
    String NAME = "name";

    /** Short name the console uses: {@code rr}, {@code priority}, {@code fair}. */
    String name();

    /** One line on what it does. */
    String description();

    /** An empty run queue for {@code cpu}. */
    RunQueue runQueue(int cpu);
}

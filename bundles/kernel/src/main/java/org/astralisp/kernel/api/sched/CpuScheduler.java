package org.astralisp.kernel.api.sched;

import java.util.List;

/**
 * The scheduler of the running kernel: creates kernel threads, reports
 * threads and vCPUs, and swaps the policy live (docs/kernel.md, "The
 * scheduler and its policies").
 */
public interface CpuScheduler {

    /** The number of vCPUs; CPUs are {@code 0..cpus()-1}. */
    int cpus();

    /**
     * A NEW thread pinned to {@code cpu}: its affinity is just that CPU, so it
     * is never migrated (until its attributes are changed).
     *
     * @throws IllegalArgumentException naming a CPU that does not exist
     */
    KernelThread thread(int cpu, String name, Runnable body);

    /**
     * A NEW thread with {@code attributes}; when started it goes to the least
     * loaded CPU its affinity allows, and may migrate within its affinity.
     *
     * @throws IllegalArgumentException if the affinity names no CPU of this machine
     */
    KernelThread thread(String name, SchedulingAttributes attributes, Runnable body);

    /**
     * A NEW thread with {@code attributes} that starts on {@code cpu} and may
     * migrate within its affinity.
     *
     * @throws IllegalArgumentException naming a CPU that does not exist or is not in the affinity
     */
    KernelThread thread(int cpu, String name, SchedulingAttributes attributes, Runnable body);

    /** The threads created and not yet DEAD, oldest first. */
    List<KernelThread> threads();

    /** Every vCPU, in CPU order. */
    List<CpuStatistics> statistics();

    /** The name of the policy in use. */
    String policy();

    /** The names of the policies registered, sorted. */
    List<String> policies();

    /**
     * Swaps to the policy named {@code name}; every queued thread moves into
     * its queues, none is lost. Swapping to the policy in use does nothing.
     *
     * @throws UnknownPolicyException naming {@code name} and the valid names
     */
    void setPolicy(String name);
}

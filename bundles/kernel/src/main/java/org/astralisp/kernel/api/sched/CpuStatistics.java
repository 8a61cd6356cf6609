package org.astralisp.kernel.api.sched;

/**
 * One vCPU as the scheduler sees it, at one moment.
 *
 * @param cpu      the CPU number
 * @param queued   threads in its run queue (runnable, not running)
 * @param running  the name of the thread it runs now, or null when it runs none
 * @param switches threads it has run (each run of a thread is one switch in)
 * @param ticks    slice-timer ticks it took
 * @param pulled   threads moved to it from another vCPU's queue, by load balancing or stealing
 */
public record CpuStatistics(int cpu, int queued, String running, long switches, long ticks, long pulled) {
}

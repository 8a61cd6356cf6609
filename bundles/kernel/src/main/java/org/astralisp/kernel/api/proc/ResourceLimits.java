package org.astralisp.kernel.api.proc;

import java.time.Duration;

/**
 * What a process may use (after POSIX getrlimit: RLIMIT_CPU, RLIMIT_AS in
 * pages, RLIMIT_NOFILE, and Linux's per-process thread count). A child gets
 * its parent's limits.
 *
 * @param cpuTime CPU time of all its threads; beyond it the process is sent XCPU
 * @param memoryPages pages it may have mapped (private) or created (shared); beyond, ENOMEM
 * @param handles handles its table may hold; beyond, EMFILE
 * @param threads threads it may have alive at once; beyond, EAGAIN
 */
public record ResourceLimits(Duration cpuTime, long memoryPages, int handles, int threads) {

    /** Limits no test program reaches: a day of CPU, 2^40 pages, 4096 handles, 256 threads. */
    public static final ResourceLimits DEFAULT = new ResourceLimits(Duration.ofDays(1), 1L << 40, 4096, 256);

    public ResourceLimits {
        if (cpuTime.isNegative() || cpuTime.isZero() || memoryPages < 0 || handles < 0 || threads < 1) {
            throw new IllegalArgumentException("limits: CPU time must be positive, memory pages and handles not "
                    + "negative, threads at least 1; got " + cpuTime + ", " + memoryPages + ", " + handles + ", "
                    + threads);
        }
    }

    public ResourceLimits withCpuTime(Duration value) {
        return new ResourceLimits(value, memoryPages, handles, threads);
    }

    public ResourceLimits withMemoryPages(long value) {
        return new ResourceLimits(cpuTime, value, handles, threads);
    }

    public ResourceLimits withHandles(int value) {
        return new ResourceLimits(cpuTime, memoryPages, value, threads);
    }

    public ResourceLimits withThreads(int value) {
        return new ResourceLimits(cpuTime, memoryPages, handles, value);
    }
}

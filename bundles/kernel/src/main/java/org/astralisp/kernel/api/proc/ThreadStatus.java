package org.astralisp.kernel.api.proc;

import java.time.Duration;
import org.astralisp.kernel.api.sched.KernelThread;

/** One thread of a process: a snapshot. */
public record ThreadStatus(String name, KernelThread.State state, int cpu, Duration cpuTime) {
}

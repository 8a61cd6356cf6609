package org.astralisp.kernel.api.proc;

import java.time.Duration;
import java.util.List;

/**
 * One process as {@code ps} shows it: a snapshot.
 *
 * @param memoryPages pages resident in its address space
 * @param command the program's location and arguments
 */
public record ProcessStatus(int pid, int ppid, int pgid, int sid, int uid, ProcessState state, Duration cpuTime,
        long memoryPages, String command, List<ThreadStatus> threads) {

    public ProcessStatus {
        threads = List.copyOf(threads);
    }
}

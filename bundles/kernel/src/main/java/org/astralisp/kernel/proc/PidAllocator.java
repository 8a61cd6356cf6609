package org.astralisp.kernel.proc;

import java.util.function.IntPredicate;

/**
 * Hands out pids as Linux does (kernel/pid.c {@code alloc_pid}): the next
 * free one after the last handed out, wrapping below {@link #PID_MAX} back to
 * {@link #FIRST}, so a pid just freed is not reused at once. A pid is free
 * when no process, process group or session has it as its id (POSIX.1-2017
 * XBD 4.14: a pid is not reused while a group or session of that id exists).
 * Not thread-safe: the process table's lock guards it.
 */
final class PidAllocator {

    /** Linux's default {@code /proc/sys/kernel/pid_max}. */
    static final int PID_MAX = 32768;
    /** 0 is the kernel and 1 init; they are never handed out. */
    static final int FIRST = 2;

    private final int max;
    private int last = FIRST - 1;

    PidAllocator() {
        this(PID_MAX);
    }

    /** An allocator of pids below {@code max}, for tests that fill the space. */
    PidAllocator(int max) {
        this.max = max;
    }

    /** The next pid for which {@code inUse} is false, or -1 if every pid is in use. */
    int allocate(IntPredicate inUse) {
        int candidate = last;
        for (int tries = FIRST; tries < max; tries++) {
            candidate = candidate + 1 >= max ? FIRST : candidate + 1;
            if (!inUse.test(candidate)) {
                last = candidate;
                return candidate;
            }
        }
        return -1;
    }
}

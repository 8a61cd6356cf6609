package org.astralisp.kernel.api.sched;

/**
 * The strict-priority policy's classes, most urgent first: a runnable thread
 * of a higher class always runs before one of a lower class (POSIX
 * {@code SCHED_FIFO}/{@code SCHED_RR} above {@code SCHED_OTHER} above
 * Linux's {@code SCHED_IDLE}). Within a class, a higher
 * {@link SchedulingAttributes#priority() priority} runs first.
 */
public enum PriorityClass {
    /** Real time: runs before every normal and idle thread. */
    REALTIME,
    /** Normal: what threads get unless asked otherwise. */
    NORMAL,
    /** Idle: runs only when no real-time or normal thread is runnable. */
    IDLE
}

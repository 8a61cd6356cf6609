package org.astralisp.kernel.api.sync;

/**
 * A thread unlocked a {@link Mutex}, or waited on a {@link ConditionVariable}
 * of one, without holding it: a bug in the caller, refused before anything
 * changes.
 */
public final class MutexNotOwnedException extends IllegalMonitorStateException {

    private static final long serialVersionUID = 1L;

    public MutexNotOwnedException(String mutex, String operation, String caller, String owner) {
        super("mutex " + mutex + ": " + operation + " by " + caller + ", which does not hold it (held by "
                + (owner == null ? "nobody" : owner) + ")");
    }
}

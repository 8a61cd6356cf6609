package org.astralisp.kernel.api.proc;

/** A process's state as {@code ps} shows it (the letters are Linux's). */
public enum ProcessState {
    /** A thread of it runs or is runnable. */
    RUNNING('R'),
    /** Every thread is blocked (or it has none yet). */
    SLEEPING('S'),
    /** Stopped by STOP until CONT. */
    STOPPED('T'),
    /** Ended, not yet reaped by its parent's wait. */
    ZOMBIE('Z');

    private final char letter;

    ProcessState(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }
}

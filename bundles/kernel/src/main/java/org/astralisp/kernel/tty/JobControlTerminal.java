package org.astralisp.kernel.tty;

/**
 * A terminal that tells job control about the INTR character: typing ^C
 * generates SIGINT for the foreground process group of the session the
 * terminal controls (POSIX.1-2017 XBD 11.1.9, "Special Characters", with
 * ISIG set). The tty does not know processes: the console session sets the
 * handler that signals (docs/kernel.md, "The console session").
 */
public interface JobControlTerminal {

    /**
     * Runs {@code handler} for every ^C typed, after the tty handled it (as
     * before: the line is discarded and {@code Interrupt} is queued for the
     * reader). It runs in the tty's deferred work: short, never blocking.
     * Null removes it.
     */
    void setInterruptHandler(Runnable handler);
}

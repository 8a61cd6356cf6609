package org.astralisp.kernel.proc;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.kernel.tty.JobControlTerminal;

/**
 * The console's session (docs/kernel.md, "The console session"): the
 * <em>console process</em>, {@code console ttyS0}, leads a session whose
 * controlling terminal is the console tty, as a login shell does. Its one
 * thread, {@code intr}, turns every ^C typed at the console into INT for the
 * session's foreground process group (POSIX.1-2017 XBD 11.1.9); like a shell,
 * the console process ignores INT itself, so a ^C with nothing else in the
 * foreground changes nothing but what the boot monitor does with it. When the
 * terminal goes away the session leader gets HUP (XBD 11.1.10, modem
 * disconnect) and ends.
 *
 * <p>The boot monitor is not this process: it runs on the loader's host
 * thread and reads the terminal through the boot SPI. The tty's interrupt
 * handler only counts and wakes ({@link #interruptTyped()}, in the tty's
 * deferred work); the signalling happens on the console process's thread.
 */
public final class ConsoleSession implements AutoCloseable {

    private final KernelProcessTable table;
    private final JobControlTerminal terminal;
    private final int pid;
    private final WaitQueue typed;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private int pendingInterrupts;
    /** Guarded by {@code lock}. */
    private int foreground;
    /** Guarded by {@code lock}. */
    private long delivered;

    /** Starts the console process for {@code terminalName} and takes the terminal's ^C. */
    public ConsoleSession(KernelProcessTable table, String terminalName, JobControlTerminal terminal) {
        this.table = table;
        this.terminal = terminal;
        this.typed = new WaitQueue("^C at " + terminalName);
        this.pid = table.spawn("console " + terminalName, this::serve, Credentials.ROOT, ResourceLimits.DEFAULT);
        lock.lock();
        try {
            foreground = pid;
        } finally {
            lock.unlock();
        }
        terminal.setInterruptHandler(this::interruptTyped);
    }

    /** The console process: the session leader. */
    public int pid() {
        return pid;
    }

    /** The process group in the foreground of the console (the console process's own at first). */
    public int foregroundGroup() {
        lock.lock();
        try {
            return foreground;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts group {@code pgid} of the console's session in the foreground
     * (POSIX tcsetpgrp). ESRCH if no process of the session is in that group.
     */
    public void setForegroundGroup(int pgid) {
        boolean inSession = table.processes().stream().anyMatch(p -> p.pgid() == pgid && p.sid() == pid);
        if (!inSession) {
            throw new SystemCallException(Errno.ESRCH, "no process group " + pgid + " in the console's session "
                    + pid);
        }
        lock.lock();
        try {
            foreground = pgid;
        } finally {
            lock.unlock();
        }
    }

    /** INT signals sent to foreground groups so far. */
    public long interruptsDelivered() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /** The tty's handler: counts the ^C and wakes the console process. Short; any thread. */
    void interruptTyped() {
        lock.lock();
        try {
            pendingInterrupts++;
        } finally {
            lock.unlock();
        }
        typed.wakeAll();
    }

    /** The console process's main thread. */
    private int serve(SystemCalls system, List<String> args) {
        system.sigaction(Signal.INT, SignalDisposition.IGNORE);
        while (true) {
            if (!typed.awaitInterruptibly(() -> pending() > 0)) {
                KernelThread.attend(); // a signal: HUP or KILL end the process here
                continue;
            }
            int count;
            lock.lock();
            try {
                count = pendingInterrupts;
                pendingInterrupts = 0;
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < count; i++) {
                interruptForeground();
            }
        }
    }

    private int pending() {
        lock.lock();
        try {
            return pendingInterrupts;
        } finally {
            lock.unlock();
        }
    }

    /** INT to the foreground group; a group that has gone leaves the console process in the foreground. */
    private void interruptForeground() {
        int group = foregroundGroup();
        try {
            table.kill(-group, Signal.INT);
        } catch (SystemCallException e) {
            lock.lock();
            try {
                foreground = pid;
            } finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            delivered++;
        } finally {
            lock.unlock();
        }
    }

    /** The terminal went away: no more ^C, and HUP to the session leader, which ends it. */
    @Override
    public void close() {
        terminal.setInterruptHandler(null);
        try {
            table.kill(pid, Signal.HUP);
        } catch (SystemCallException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            } // ESRCH: the console process has ended already (the table was closed first)
        }
    }
}

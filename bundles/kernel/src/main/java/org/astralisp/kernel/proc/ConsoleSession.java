package org.astralisp.kernel.proc;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    private final AtomicInteger pendingInterrupts = new AtomicInteger();
    private final AtomicInteger foreground = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();

    /** Starts the console process for {@code terminalName} and takes the terminal's ^C. */
    public ConsoleSession(KernelProcessTable table, String terminalName, JobControlTerminal terminal) {
        this.table = table;
        this.terminal = terminal;
        this.typed = new WaitQueue("^C at " + terminalName);
        this.pid = table.spawn("console " + terminalName, this::serve, Credentials.ROOT, ResourceLimits.DEFAULT);
        foreground.set(pid);
        terminal.setInterruptHandler(this::interruptTyped);
    }

    /** The console process: the session leader. */
    public int pid() {
        return pid;
    }

    /** The process group in the foreground of the console (the console process's own at first). */
    public int foregroundGroup() {
        return foreground.get();
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
        foreground.set(pgid);
    }

    /** INT signals sent to foreground groups so far. */
    public long interruptsDelivered() {
        return delivered.get();
    }

    /** The tty's handler: counts the ^C and wakes the console process. Short; any thread. */
    void interruptTyped() {
        pendingInterrupts.incrementAndGet();
        typed.wakeAll();
    }

    /** The console process's main thread. */
    private int serve(SystemCalls system, List<String> args) {
        system.sigaction(Signal.INT, SignalDisposition.IGNORE);
        while (true) {
            if (!typed.awaitInterruptibly(() -> pendingInterrupts.get() > 0)) {
                KernelThread.attend(); // a signal: HUP or KILL end the process here
                continue;
            }
            for (int count = pendingInterrupts.getAndSet(0); count > 0; count--) {
                interruptForeground();
            }
        }
    }

    /** INT to the foreground group; a group that has gone leaves the console process in the foreground. */
    private void interruptForeground() {
        try {
            table.kill(-foreground.get(), Signal.INT);
            delivered.incrementAndGet();
        } catch (SystemCallException e) {
            foreground.set(pid);
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

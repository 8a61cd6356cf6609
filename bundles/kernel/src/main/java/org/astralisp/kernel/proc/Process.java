package org.astralisp.kernel.proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelTimer;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.vm.AddressSpace;

/**
 * One process (xv6's {@code struct proc}): identity, place in the tree and in
 * its group and session, credentials, limits and usage, threads, its handle
 * table and address space, signal state and exit status.
 *
 * <p>Life: live (threads run) → exiting (an exit or a fatal signal was
 * decided; its threads unwind) → zombie (the last thread ended: everything
 * it held is given back, only the exit status stays) → reaped (its parent's
 * {@code wait} took the status; gone from the table).
 *
 * <p>Locking: every mutable field below is guarded by the process table's
 * lock (one lock for the tree, as Linux's {@code tasklist_lock}); the handle
 * table has its own. The wait queues are the kernel's: waited on without the
 * lock, woken with it held (a wake never blocks).
 */
final class Process {

    final int pid;
    final Credentials credentials;
    final ResourceLimits limits;
    final String command;
    /** Null for the kernel and init, which map nothing. */
    final AddressSpace space;
    final HandleTable handles;
    /** Woken when a child ends or is re-parented here as a zombie: {@code wait} blocks on it. */
    final WaitQueue childEvents;
    /** Woken on CONT and when the process starts exiting: stopped threads block on it. */
    final WaitQueue resumed;

    Process parent;
    final List<Process> children = new ArrayList<>();
    int pgid;
    int sid;
    final List<ProcessThread> threads = new ArrayList<>();
    long endedThreadsCpuNanos;
    long committedPages;
    boolean exiting;
    ExitStatus exitStatus;
    boolean zombie;
    /** Its last thread ended: its handles and address space are being or have been given back. */
    boolean released;
    boolean stopped;
    boolean cpuLimitSignalled;
    /** The pending alarm (XSH alarm: at most one per process), null if none; its deadline on the timers' clock. */
    KernelTimer alarm;
    /** The next check of the CPU time limit (docs/kernel.md, "Limits and accounting"), null if none. */
    KernelTimer cpuLimitCheck;
    long alarmDeadline;
    final Set<Signal> pending = EnumSet.noneOf(Signal.class);
    final Map<Signal, SignalDisposition> dispositions = new EnumMap<>(Signal.class);

    Process(int pid, Credentials credentials, ResourceLimits limits, String command, AddressSpace space) {
        this.pid = pid;
        this.credentials = credentials;
        this.limits = limits;
        this.command = command;
        this.space = space;
        this.handles = new HandleTable(pid, limits.handles());
        this.childEvents = new WaitQueue("children of process " + pid);
        this.resumed = new WaitQueue("continue of process " + pid);
    }

    SignalDisposition disposition(Signal signal) {
        return dispositions.getOrDefault(signal, SignalDisposition.DEFAULT);
    }

    /** Whether {@code signal} is discarded when generated (POSIX XSH 2.4.1: ignored signals are not made pending). */
    boolean ignores(Signal signal) {
        SignalDisposition disposition = disposition(signal);
        return disposition instanceof SignalDisposition.Ignore
                || disposition instanceof SignalDisposition.Default
                        && signal.defaultAction() != Signal.DefaultAction.TERMINATE;
    }

    /** CPU time of every thread it has had. */
    Duration cpuTime() {
        long nanos = endedThreadsCpuNanos;
        for (ProcessThread thread : threads) {
            nanos += thread.kernel().cpuTime().toNanos();
        }
        return Duration.ofNanos(nanos);
    }

    boolean leadsGroup() {
        return pgid == pid;
    }

    boolean leadsSession() {
        return sid == pid;
    }

    ProcessState state() {
        if (zombie) {
            return ProcessState.ZOMBIE;
        }
        if (stopped) {
            return ProcessState.STOPPED;
        }
        for (ProcessThread thread : threads) {
            KernelThread.State state = thread.kernel().state();
            if (state == KernelThread.State.RUNNING || state == KernelThread.State.RUNNABLE) {
                return ProcessState.RUNNING;
            }
        }
        return ProcessState.SLEEPING;
    }

    ProcessStatus status() {
        long pages = space == null || released ? 0 : space.statistics().residentPages();
        return new ProcessStatus(pid, parent == null ? 0 : parent.pid, pgid, sid, credentials.uid(), state(),
                cpuTime(), pages, command, threads.stream().map(ProcessThread::status).toList());
    }

    @Override
    public String toString() {
        return "process " + pid + " (" + command + ")";
    }
}

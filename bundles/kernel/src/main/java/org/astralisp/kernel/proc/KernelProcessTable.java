package org.astralisp.kernel.proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.astralisp.kernel.api.proc.Program;
import org.astralisp.kernel.api.proc.ProgramLoadException;
import org.astralisp.kernel.api.proc.ProgramLoader;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.proc.ThreadStatus;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelTimer;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.kernel.api.syscall.WaitResult;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.VirtualMemoryManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process table (docs/kernel.md, "Processes, signals and syscalls"):
 * every process by pid, the tree, groups and sessions, spawning, exit and
 * wait, and signals.
 *
 * <p>Pid 0 is the kernel: the root of the tree, with no program. Pid 1 is
 * init, the kernel's child, whose one thread reaps the orphans re-parented to
 * it (POSIX.1-2017 XSH _Exit: "the parent process ID of all of the existing
 * child processes and zombie processes of the calling process shall be set to
 * the process ID of an implementation-defined system process"). Neither can
 * be signalled (EPERM) or exit.
 *
 * <p>Locking: {@code lock} guards the table, the pid allocator and every
 * process's mutable fields (see {@link Process}). It is held for bounded work
 * only — no park, no safepoint, no program code; into the VMM only for a
 * statistics snapshot — so no kernel thread yields holding it. Wakes and attention requests are made
 * with it held (they never block).
 */
public final class KernelProcessTable implements ProcessTable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelProcessTable.class);

    /** Arguments: at most this many, and this many bytes in all (Linux's ARG_MAX of 128 KiB, as a total). */
    static final int MAX_ARGS = 4096;
    static final int MAX_ARG_BYTES = 128 * 1024;

    /** The CPU limit's timer checks no more often than this. */
    static final Duration CPU_LIMIT_CHECK_MIN = Duration.ofMillis(1);
    /** After XCPU, the process has this long before a check sends KILL (Linux repeats XCPU each second). */
    static final Duration CPU_LIMIT_GRACE = Duration.ofSeconds(1);

    private final CpuScheduler kernelThreads;
    /** Where alarms and CPU-limit checks are armed. */
    private final KernelTimers timers;
    private final VirtualMemoryManager vmm;
    private final Supplier<List<ProgramLoader>> loaders;
    private final PidAllocator pids;
    private final SystemCalls systemCalls;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private final Map<Integer, Process> processes = new TreeMap<>();
    /** The process of each live process thread; written under {@code lock}, read anywhere. */
    private final Map<KernelThread, ProcessThread> owners = new ConcurrentHashMap<>();
    private final Process kernel;
    private final Process init;
    /** Guarded by {@code lock}. */
    private int nextCpu;
    /** Guarded by {@code lock}. */
    private boolean closing;

    /**
     * A table with the kernel (pid 0) and init (pid 1), whose reaper thread
     * starts at once.
     *
     * @param timers the kernel timers that {@code alarm} and the CPU-time limit arm
     * @param vmm where address spaces come from; null: processes get none (and the memory calls are ENOSYS)
     * @param loaders the program loaders registered now, asked in order
     */
    public KernelProcessTable(CpuScheduler kernelThreads, KernelTimers timers, VirtualMemoryManager vmm,
            Supplier<List<ProgramLoader>> loaders) {
        this(kernelThreads, timers, vmm, loaders, new PidAllocator());
    }

    KernelProcessTable(CpuScheduler kernelThreads, KernelTimers timers, VirtualMemoryManager vmm,
            Supplier<List<ProgramLoader>> loaders, PidAllocator pids) {
        this.kernelThreads = Objects.requireNonNull(kernelThreads, "kernelThreads");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.vmm = vmm;
        this.loaders = Objects.requireNonNull(loaders, "loaders");
        this.pids = pids;
        this.kernel = new Process(KERNEL, Credentials.ROOT, ResourceLimits.DEFAULT, "kernel", null);
        this.init = new Process(INIT, Credentials.ROOT, ResourceLimits.DEFAULT, "init", null);
        this.systemCalls = new SystemCallTable(this);
        lock.lock();
        try {
            kernel.pgid = KERNEL;
            kernel.sid = KERNEL;
            processes.put(KERNEL, kernel);
            init.parent = kernel;
            init.pgid = INIT;
            init.sid = INIT;
            kernel.children.add(init);
            processes.put(INIT, init);
            startThread(init, "reaper", this::reapOrphans);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SystemCalls systemCalls() {
        return systemCalls;
    }

    VirtualMemoryManager vmm() {
        return vmm;
    }

    // ---- the caller ----

    /** The process thread the caller runs in. @throws SystemCallException EPERM on any other thread */
    ProcessThread currentThread() {
        KernelThread self = KernelThread.current();
        ProcessThread thread = self == null ? null : owners.get(self);
        if (thread == null) {
            throw new SystemCallException(Errno.EPERM, "system call from thread '" + Thread.currentThread().getName()
                    + "', which is not a thread of any process");
        }
        return thread;
    }

    /**
     * A system call's entry (and Linux's return to user mode): pending
     * signals are delivered and the CPU time limit is checked; a process over
     * it is sent XCPU, and KILL if it is still over at a later call.
     */
    ProcessThread enter() {
        ProcessThread thread = currentThread();
        Process process = thread.process;
        lock.lock();
        try {
            checkCpuLimit(process);
        } finally {
            lock.unlock();
        }
        KernelThread.attend();
        return thread;
    }

    /** Under {@code lock}: XCPU to a process over its CPU time limit, KILL if it was sent XCPU before. */
    private void checkCpuLimit(Process process) {
        if (process.cpuTime().compareTo(process.limits.cpuTime()) > 0) {
            signal(process, process.cpuLimitSignalled ? Signal.KILL : Signal.XCPU);
            process.cpuLimitSignalled = true;
        }
    }

    /**
     * Under {@code lock}: arms the timer that checks {@code process}'s CPU
     * limit also when it makes no system call. The scheduler is tickless (a
     * thread alone on its vCPU takes no tick), so rather than a check at each
     * tick (Linux's {@code run_posix_cpu_timers}) this is a one-shot kernel
     * timer for the earliest time the limit can be reached: what is left of
     * it divided by the vCPUs, since the threads use at most all of them at
     * once; after XCPU, {@link #CPU_LIMIT_GRACE}. Each expiry checks and arms
     * the next, so a process far from its limit costs a rare timer.
     */
    private void armCpuLimitCheck(Process process) {
        if (process.zombie) {
            return;
        }
        long left = process.limits.cpuTime().minus(process.cpuTime()).toNanos() / kernelThreads.cpus();
        Duration delay = process.cpuLimitSignalled ? CPU_LIMIT_GRACE
                : Duration.ofNanos(Math.max(CPU_LIMIT_CHECK_MIN.toNanos(), left));
        process.cpuLimitCheck = timers.oneShot(process.pid % kernelThreads.cpus(), delay, () -> {
            lock.lock();
            try {
                if (!process.zombie) {
                    checkCpuLimit(process);
                    armCpuLimitCheck(process);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * A blocking call of {@code thread} was interrupted by attention: the
     * signals are delivered here; if a handler ran the call fails with EINTR
     * ({@code what} names it), otherwise it is restarted (the caller loops).
     */
    void interrupted(ProcessThread thread, String what) {
        long before = thread.handlersRun();
        KernelThread.attend();
        if (thread.handlersRun() != before) {
            throw new SystemCallException(Errno.EINTR, what + " of process " + thread.process.pid
                    + " interrupted by a signal handler");
        }
    }

    /**
     * Generates {@code signal} for the calling thread's own process and
     * delivers what is pending at once (a signal a system call raises for its
     * caller, as SIGPIPE from a write to a pipe without readers): a
     * terminating default ends the thread here; returns after a handler, or
     * if the signal is ignored.
     */
    void signalSelf(ProcessThread thread, Signal signal) {
        lock.lock();
        try {
            signal(thread.process, signal);
        } finally {
            lock.unlock();
        }
        KernelThread.attend();
    }

    /**
     * XSH {@code alarm}: ALRM to {@code process} after {@code delay} (zero:
     * none), replacing its earlier alarm; what was left of that one (zero if
     * there was none or it had fired). The timer is armed on the caller's
     * vCPU; its action, deferred work there, takes the table lock for the
     * bounded work of generating the signal (as Linux's {@code it_real_fn}
     * takes the sighand lock from its hrtimer), and generates it only if
     * the alarm is still the process's current one, so a cancel that comes
     * too late to stop the call changes nothing.
     */
    Duration alarm(Process process, Duration delay) {
        int cpu = KernelThread.current().cpu();
        lock.lock();
        try {
            long now = timers.now();
            Duration left = Duration.ZERO;
            if (process.alarm != null) {
                process.alarm.cancel();
                left = Duration.ofNanos(Math.max(0, process.alarmDeadline - now));
                process.alarm = null;
            }
            if (!delay.isZero()) {
                process.alarmDeadline = now + delay.toNanos();
                KernelTimer[] armed = new KernelTimer[1];
                armed[0] = timers.oneShot(cpu, delay, () -> alarmExpired(process, armed));
                process.alarm = armed[0];
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** An alarm's action: ALRM if {@code armed[0]} is still the process's alarm (it is set before the action can run: the table lock orders them). */
    private void alarmExpired(Process process, KernelTimer[] armed) {
        lock.lock();
        try {
            if (process.alarm == armed[0]) {
                process.alarm = null;
                signal(process, Signal.ALRM);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- spawning ----

    @Override
    public int spawn(ProgramImage image, List<String> args, Credentials credentials, ResourceLimits limits) {
        Program program = load(image, args);
        return spawnSessionLeader(image.location(), args, program, credentials, limits);
    }

    /**
     * A program of the kernel's own, not loaded from an image (the console
     * session's), started as {@link #spawn(ProgramImage, List, Credentials, ResourceLimits)} starts one.
     */
    int spawn(String command, Program program, Credentials credentials, ResourceLimits limits) {
        return spawnSessionLeader(command, List.of(), program, credentials, limits);
    }

    private int spawnSessionLeader(String location, List<String> args, Program program, Credentials credentials,
            ResourceLimits limits) {
        lock.lock();
        try {
            Process child = create(init, location, args, credentials, limits, program, List.of());
            child.pgid = child.pid;
            child.sid = child.pid;
            return child.pid;
        } finally {
            lock.unlock();
        }
    }

    /** {@link SystemCalls#spawn}: a child of {@code parent} in its group and session. */
    int spawn(Process parent, ProgramImage image, List<String> args) {
        return spawn(parent, image, args, List.of());
    }

    /**
     * {@link SystemCalls#spawn(ProgramImage, List, int[])}: the child's table
     * starts with {@code inherited} (references the caller took, which the
     * child's handles take over; dropped if the spawn fails).
     */
    int spawn(Process parent, ProgramImage image, List<String> args, List<KernelObject> inherited) {
        Program program;
        try {
            program = load(image, args);
        } catch (SystemCallException e) {
            inherited.forEach(KernelObject::drop);
            throw e;
        }
        lock.lock();
        try {
            Process child = create(parent, image.location(), args, parent.credentials, parent.limits, program,
                    inherited);
            child.pgid = parent.pgid;
            child.sid = parent.sid;
            parent.dispositions.forEach((signal, disposition) -> {
                if (disposition instanceof SignalDisposition.Ignore) {
                    child.dispositions.put(signal, disposition); // kept across exec; handlers are not (XSH exec)
                }
            });
            return child.pid;
        } finally {
            lock.unlock();
        }
    }

    /** The program in {@code image}, from the first loader that accepts it; nothing changes on failure. */
    private Program load(ProgramImage image, List<String> args) {
        Objects.requireNonNull(image, "image");
        checkArguments(args);
        List<ProgramLoader> available = loaders.get();
        for (ProgramLoader loader : available) {
            if (loader.accepts(image)) {
                try {
                    return loader.load(image);
                } catch (ProgramLoadException e) {
                    throw new SystemCallException(Errno.ENOEXEC, "cannot spawn " + image + ": " + loader.name()
                            + " loader: " + e.getMessage());
                }
            }
        }
        throw new SystemCallException(Errno.ENOEXEC, "cannot spawn " + image + ": no program loader accepts it ("
                + (available.isEmpty() ? "none registered" : "registered: " + String.join(", ",
                        available.stream().map(ProgramLoader::name).toList())) + ")");
    }

    private static void checkArguments(List<String> args) {
        if (args.size() > MAX_ARGS) {
            throw new SystemCallException(Errno.E2BIG, args.size() + " arguments, more than " + MAX_ARGS);
        }
        long bytes = 0;
        for (String arg : args) {
            bytes += Objects.requireNonNull(arg, "argument").length() + 1;
        }
        if (bytes > MAX_ARG_BYTES) {
            throw new SystemCallException(Errno.E2BIG, "arguments of " + bytes + " bytes, more than "
                    + MAX_ARG_BYTES);
        }
    }

    /** Under {@code lock}: a new live process running {@code program}, its main thread started. */
    private Process create(Process parent, String location, List<String> args, Credentials credentials,
            ResourceLimits limits, Program program, List<KernelObject> inherited) {
        IntPredicate inUse = pid -> processes.containsKey(pid) || processes.values().stream()
                .anyMatch(p -> p.pgid == pid || p.sid == pid);
        int pid = pids.allocate(inUse);
        AddressSpace space;
        try {
            if (pid < 0) {
                throw new SystemCallException(Errno.EAGAIN, "cannot spawn " + location + ": every pid is in use");
            }
            space = newAddressSpace(location);
        } catch (SystemCallException e) {
            inherited.forEach(KernelObject::drop);
            throw e;
        }
        String command = args.isEmpty() ? location : location + " " + String.join(" ", args);
        Process child = new Process(pid, credentials, limits, command, space);
        child.handles.installAll(inherited); // fits: no more than the parent's limit, which the child has
        child.parent = parent;
        parent.children.add(child);
        processes.put(pid, child);
        armCpuLimitCheck(child);
        List<String> arguments = List.copyOf(args);
        startThread(child, "main", () -> {
            int code = program.main(systemCalls, arguments);
            beginExit(child, ExitStatus.exited(code));
        });
        return child;
    }

    private AddressSpace newAddressSpace(String location) {
        if (vmm == null) {
            return null;
        }
        try {
            return vmm.createAddressSpace();
        } catch (RuntimeException e) {
            throw new SystemCallException(Errno.ENOMEM, "cannot spawn " + location + ": no address space: "
                    + e.getMessage());
        }
    }

    /**
     * {@link SystemCalls#spawnThread}: EAGAIN at the thread limit; in a
     * process that is exiting the caller unwinds instead (a thread started
     * now would have missed the request to unwind).
     */
    String spawnThread(Process process, String name, Runnable body) {
        lock.lock();
        try {
            if (process.exiting) {
                throw new ProcessExit(process.pid);
            }
            if (process.threads.size() >= process.limits.threads()) {
                throw new SystemCallException(Errno.EAGAIN, "process " + process.pid + " has "
                        + process.threads.size() + " threads, its limit; no thread '" + name + "'");
            }
            return startThread(process, name, body).name;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under {@code lock}: a thread of {@code process}, on the next vCPU in
     * turn (threads do not migrate yet), with signal delivery as its attention
     * handler, started; it attends at once if the process is stopped or has
     * signals pending.
     */
    private ProcessThread startThread(Process process, String name, Runnable work) {
        ProcessThread thread = new ProcessThread(process, name);
        int cpu = nextCpu++ % kernelThreads.cpus();
        KernelThread kernelThread = kernelThreads.thread(cpu, process.pid + "/" + name, () -> run(thread, work));
        thread.bind(kernelThread);
        kernelThread.setAttentionHandler(() -> deliverSignals(thread));
        owners.put(kernelThread, thread);
        process.threads.add(thread);
        if (process.stopped || !process.pending.isEmpty()) {
            kernelThread.requestAttention(); // it stops, or takes the signal, at its first safepoint
        }
        kernelThread.start();
        return thread;
    }

    private void run(ProcessThread thread, Runnable work) {
        try {
            work.run();
        } catch (ProcessExit unwound) {
            // the process is exiting: this thread's part is done
        } catch (RuntimeException | Error e) {
            LOG.warn("{} thread '{}' ended by {}", thread.process, thread.name, e.toString());
            beginExit(thread.process, ExitStatus.exited(ExitStatus.FAILURE));
        } finally {
            threadEnded(thread);
        }
    }

    // ---- exit ----

    /**
     * Decides that {@code process} ends with {@code status} (the first
     * decision stands) and asks its threads to unwind at their next
     * safepoint or system call (the caller's too); a stopped process is woken
     * to do so.
     */
    void beginExit(Process process, ExitStatus status) {
        lock.lock();
        try {
            beginExitLocked(process, status);
        } finally {
            lock.unlock();
        }
    }

    private void beginExitLocked(Process process, ExitStatus status) {
        if (process.exiting) {
            return;
        }
        process.exiting = true;
        process.exitStatus = status;
        process.resumed.wakeAll();
        process.threads.forEach(t -> t.kernel().requestAttention());
    }

    /** {@link SystemCalls#exit}: never returns. */
    void exit(ProcessThread thread, int code) {
        beginExit(thread.process, ExitStatus.exited(code));
        throw new ProcessExit(thread.process.pid);
    }

    private void threadEnded(ProcessThread thread) {
        Process process = thread.process;
        boolean last;
        lock.lock();
        try {
            process.threads.remove(thread);
            process.endedThreadsCpuNanos += thread.kernel().cpuTime().toNanos();
            owners.remove(thread.kernel());
            last = process.threads.isEmpty() && process != init;
            process.released = last;
        } finally {
            lock.unlock();
        }
        if (last) {
            releaseResources(process);
            becomeZombie(process);
        }
    }

    /** Everything the ended process held, outside the lock (the VMM takes its own locks and shoots down TLBs). */
    private void releaseResources(Process process) {
        process.handles.closeAll();
        if (process.space != null) {
            process.space.destroy();
        }
    }

    /**
     * The process ended: its children go to init, and its parent is told
     * (CHLD, and a wake of its {@code wait}) — or, if the parent ignores CHLD
     * explicitly, the process is reaped at once (POSIX.1-2017 XSH 2.4.3,
     * SIGCHLD set to SIG_IGN: no zombies).
     */
    private void becomeZombie(Process process) {
        lock.lock();
        try {
            process.zombie = true;
            process.stopped = false;
            process.pending.clear();
            if (process.alarm != null) {
                process.alarm.cancel();
                process.alarm = null;
            }
            if (process.cpuLimitCheck != null) {
                process.cpuLimitCheck.cancel();
                process.cpuLimitCheck = null;
            }
            for (Process child : process.children) {
                child.parent = init;
                init.children.add(child);
            }
            process.children.clear();
            init.childEvents.wakeAll();
            Process parent = process.parent;
            if (parent.disposition(Signal.CHLD) instanceof SignalDisposition.Ignore) {
                reap(process);
            } else {
                signal(parent, Signal.CHLD);
                parent.childEvents.wakeAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under {@code lock}: a zombie leaves the table; its pid becomes free. */
    private void reap(Process zombie) {
        zombie.parent.children.remove(zombie);
        processes.remove(zombie.pid);
    }

    // ---- wait ----

    /** {@link SystemCalls#wait}, for {@code thread}'s process. */
    Optional<WaitResult> wait(ProcessThread thread, int pid, boolean noHang) {
        Process caller = thread.process;
        while (true) {
            long ticket = caller.childEvents.prepareToWait();
            lock.lock();
            try {
                List<Process> candidates = caller.children.stream().filter(c -> selects(caller, pid, c)).toList();
                if (candidates.isEmpty()) {
                    throw new SystemCallException(Errno.ECHILD, pid > 0
                            ? "process " + pid + " is not a child of process " + caller.pid
                            : "process " + caller.pid + " has no child" + (pid == -1 ? "" : " in process group "
                                    + (pid == 0 ? caller.pgid : -pid)));
                }
                for (Process child : candidates) {
                    if (child.zombie) {
                        reap(child);
                        return Optional.of(new WaitResult(child.pid, child.exitStatus));
                    }
                }
            } finally {
                lock.unlock();
            }
            if (noHang) {
                return Optional.empty();
            }
            if (!caller.childEvents.awaitInterruptibly(ticket)) {
                interrupted(thread, "wait");
            }
        }
    }

    /** Which children a waitpid {@code pid} selects (POSIX.1-2017 XSH waitpid). */
    private static boolean selects(Process caller, int pid, Process child) {
        if (pid > 0) {
            return child.pid == pid;
        }
        if (pid == -1) {
            return true;
        }
        return child.pgid == (pid == 0 ? caller.pgid : -pid);
    }

    /**
     * init's thread: reaps every zombie child, blocking until there is one;
     * ends once the table is closing and init has no children left.
     */
    private void reapOrphans() {
        while (true) {
            init.childEvents.await(() -> hasZombieChild(init) || closedAndChildless());
            lock.lock();
            try {
                for (Process child : List.copyOf(init.children)) {
                    if (child.zombie) {
                        reap(child);
                    }
                }
                if (closing && init.children.isEmpty()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean closedAndChildless() {
        lock.lock();
        try {
            return closing && init.children.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private boolean hasZombieChild(Process process) {
        lock.lock();
        try {
            return process.children.stream().anyMatch(c -> c.zombie);
        } finally {
            lock.unlock();
        }
    }

    // ---- signals ----

    @Override
    public void kill(int pid, Signal signal) {
        kill(null, pid, signal);
    }

    /**
     * Sends {@code signal} from {@code sender} (null: the kernel) to
     * {@code pid} as {@link SystemCalls#kill} describes.
     */
    void kill(Process sender, int pid, Signal signal) {
        Objects.requireNonNull(signal, "signal");
        if (pid == -1) {
            throw new SystemCallException(Errno.EINVAL, "kill of pid -1 (every process) is not supported");
        }
        lock.lock();
        try {
            List<Process> targets;
            if (pid > 0 || pid == 0 && sender == null) {
                Process target = processes.get(pid);
                if (target == null) {
                    throw new SystemCallException(Errno.ESRCH, "kill " + signal.signalName() + ": no process " + pid);
                }
                targets = List.of(target);
            } else {
                int pgid = pid == 0 ? sender.pgid : -pid;
                targets = processes.values().stream().filter(p -> p.pgid == pgid && !p.zombie).toList();
                if (targets.isEmpty()) {
                    throw new SystemCallException(Errno.ESRCH, "kill " + signal.signalName() + ": no process group "
                            + pgid);
                }
            }
            int sent = 0;
            SystemCallException refused = null;
            for (Process target : targets) {
                try {
                    checkMaySignal(sender, target, signal);
                    signal(target, signal);
                    sent++;
                } catch (SystemCallException e) {
                    refused = e;
                }
            }
            if (sent == 0) {
                throw refused;
            }
        } finally {
            lock.unlock();
        }
    }

    /** POSIX.1-2017 XSH kill: the sender's uid matches the target's, or the sender is privileged. */
    private static void checkMaySignal(Process sender, Process target, Signal signal) {
        if (target.pid == KERNEL || target.pid == INIT) {
            throw new SystemCallException(Errno.EPERM, "kill " + signal.signalName() + ": pid " + target.pid + " is "
                    + (target.pid == KERNEL ? "the kernel" : "init") + " and cannot be signalled");
        }
        if (sender != null && !sender.credentials.superuser()
                && sender.credentials.uid() != target.credentials.uid()) {
            throw new SystemCallException(Errno.EPERM, "kill " + signal.signalName() + ": process " + sender.pid
                    + " (uid " + sender.credentials.uid() + ") may not signal process " + target.pid + " (uid "
                    + target.credentials.uid() + ")");
        }
    }

    /**
     * Under {@code lock}: generates {@code signal} for {@code process}
     * (POSIX.1-2017 XSH 2.4.1). KILL decides the exit at once; STOP stops the
     * process and CONT continues it at once, whatever the disposition; an
     * ignored signal is discarded; any other is made pending and every
     * thread is asked to attend (the first to do so takes it).
     */
    private void signal(Process process, Signal signal) {
        if (process.zombie || process.exiting) {
            return;
        }
        switch (signal) {
            case KILL -> beginExitLocked(process, ExitStatus.killed(Signal.KILL));
            case STOP -> {
                if (!process.stopped) {
                    process.stopped = true;
                    notifyParent(process);
                    process.threads.forEach(t -> t.kernel().requestAttention());
                }
            }
            case CONT -> {
                if (process.stopped) {
                    process.stopped = false;
                    process.resumed.wakeAll();
                    notifyParent(process);
                }
                makePending(process, signal);
            }
            default -> makePending(process, signal);
        }
    }

    private void makePending(Process process, Signal signal) {
        if (!process.ignores(signal)) {
            process.pending.add(signal);
            process.threads.forEach(t -> t.kernel().requestAttention());
        }
    }

    /** CHLD to the parent of a process that stopped or continued (POSIX XSH 2.4.3, SA_NOCLDSTOP not set). */
    private void notifyParent(Process process) {
        if (process.parent != null) {
            signal(process.parent, Signal.CHLD);
        }
    }

    /**
     * A thread's attention handler: while its process is stopped, blocks
     * until it continues; then takes pending signals one at a time, lowest
     * number first, and acts on each; a process that is exiting unwinds the
     * thread. Runs on the thread, at a safepoint or a system call's return.
     */
    private void deliverSignals(ProcessThread thread) {
        Process process = thread.process;
        while (true) {
            Signal signal;
            SignalDisposition disposition;
            lock.lock();
            try {
                if (process.exiting) {
                    throw new ProcessExit(process.pid);
                }
                if (process.stopped) {
                    signal = null;
                    disposition = null;
                } else {
                    signal = process.pending.stream().findFirst().orElse(null);
                    if (signal == null) {
                        return;
                    }
                    process.pending.remove(signal);
                    disposition = process.disposition(signal);
                }
            } finally {
                lock.unlock();
            }
            if (signal == null) {
                process.resumed.await(() -> stoppedAndAlive(process));
            } else if (disposition instanceof SignalDisposition.Handler handler) {
                thread.handlerRan();
                handler.handler().handle(signal);
            } else if (disposition instanceof SignalDisposition.Default
                    && signal.defaultAction() == Signal.DefaultAction.TERMINATE) {
                beginExit(process, ExitStatus.killed(signal));
                throw new ProcessExit(process.pid);
            }
        }
    }

    private boolean stoppedAndAlive(Process process) {
        lock.lock();
        try {
            return !process.stopped || process.exiting;
        } finally {
            lock.unlock();
        }
    }

    /** {@link SystemCalls#sigaction}. */
    SignalDisposition sigaction(Process process, Signal signal, SignalDisposition disposition) {
        Objects.requireNonNull(disposition, "disposition");
        if (!signal.catchable()) {
            throw new SystemCallException(Errno.EINVAL, signal.signalName()
                    + " cannot be caught or ignored (POSIX sigaction)");
        }
        lock.lock();
        try {
            SignalDisposition previous = process.disposition(signal);
            process.dispositions.put(signal, disposition);
            if (process.ignores(signal)) {
                process.pending.remove(signal); // XSH 2.4.3: setting SIG_IGN discards a pending signal
            }
            return previous;
        } finally {
            lock.unlock();
        }
    }

    // ---- groups and sessions (POSIX.1-2017 XSH setpgid, setsid, getpgid, getsid) ----

    /** {@link SystemCalls#setpgid}. */
    void setpgid(Process caller, int pid, int pgid) {
        if (pid < 0 || pgid < 0) {
            throw new SystemCallException(Errno.EINVAL, "setpgid(" + pid + ", " + pgid + "): negative id");
        }
        lock.lock();
        try {
            Process target = pid == 0 ? caller : processes.get(pid);
            if (target == null || target.zombie || target != caller && target.parent != caller) {
                throw new SystemCallException(Errno.ESRCH, "setpgid: process " + pid
                        + " is neither the caller nor a child of process " + caller.pid);
            }
            if (target.leadsSession()) {
                throw new SystemCallException(Errno.EPERM, "setpgid: process " + target.pid + " leads session "
                        + target.sid + " and cannot change its group");
            }
            if (target.sid != caller.sid) {
                throw new SystemCallException(Errno.EPERM, "setpgid: process " + target.pid + " is in session "
                        + target.sid + ", not the caller's session " + caller.sid);
            }
            int group = pgid == 0 ? target.pid : pgid;
            if (group != target.pid && processes.values().stream()
                    .noneMatch(p -> p.pgid == group && p.sid == caller.sid && !p.zombie)) {
                throw new SystemCallException(Errno.EPERM, "setpgid: no process group " + group + " in session "
                        + caller.sid);
            }
            target.pgid = group;
        } finally {
            lock.unlock();
        }
    }

    /** {@link SystemCalls#setsid}. */
    int setsid(Process caller) {
        lock.lock();
        try {
            if (caller.leadsGroup() || processes.values().stream().anyMatch(p -> p.pgid == caller.pid)) {
                throw new SystemCallException(Errno.EPERM, "setsid: process " + caller.pid
                        + " leads a process group (or one has its id)");
            }
            caller.sid = caller.pid;
            caller.pgid = caller.pid;
            return caller.sid;
        } finally {
            lock.unlock();
        }
    }

    /** {@link SystemCalls#getpgid}. */
    int getpgid(Process caller, int pid) {
        return lookup(caller, pid, "getpgid").pgid;
    }

    /** {@link SystemCalls#getsid}. */
    int getsid(Process caller, int pid) {
        return lookup(caller, pid, "getsid").sid;
    }

    /** {@link SystemCalls#getppid}. */
    int getppid(Process caller) {
        lock.lock();
        try {
            return caller.parent.pid;
        } finally {
            lock.unlock();
        }
    }

    private Process lookup(Process caller, int pid, String call) {
        if (pid < 0) {
            throw new SystemCallException(Errno.EINVAL, call + "(" + pid + "): negative pid");
        }
        lock.lock();
        try {
            Process target = pid == 0 ? caller : processes.get(pid);
            if (target == null) {
                throw new SystemCallException(Errno.ESRCH, call + ": no process " + pid);
            }
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** The live or zombie process {@code pid}. @throws SystemCallException ESRCH */
    Process process(int pid) {
        lock.lock();
        try {
            Process process = processes.get(pid);
            if (process == null) {
                throw new SystemCallException(Errno.ESRCH, "no process " + pid);
            }
            return process;
        } finally {
            lock.unlock();
        }
    }

    /** The exit status of {@code process} once it is a zombie (or reaped). */
    Optional<ExitStatus> exitStatus(Process process) {
        lock.lock();
        try {
            return process.zombie ? Optional.of(process.exitStatus) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code caller} may open a handle to {@code target}: its child, or a process of its user. */
    boolean mayOpen(Process caller, Process target) {
        lock.lock();
        try {
            return target.parent == caller || caller.credentials.superuser()
                    || caller.credentials.uid() == target.credentials.uid();
        } finally {
            lock.unlock();
        }
    }

    // ---- memory accounting ----

    /** Commits {@code pages} to {@code process}; ENOMEM beyond its limit, and nothing is committed. */
    void commit(Process process, long pages, String what) {
        lock.lock();
        try {
            if (process.committedPages + pages > process.limits.memoryPages()) {
                throw new SystemCallException(Errno.ENOMEM, what + ": process " + process.pid + " has "
                        + process.committedPages + " pages of its limit of " + process.limits.memoryPages()
                        + " committed; " + pages + " more do not fit");
            }
            process.committedPages += pages;
        } finally {
            lock.unlock();
        }
    }

    void uncommit(Process process, long pages) {
        lock.lock();
        try {
            process.committedPages -= pages;
        } finally {
            lock.unlock();
        }
    }

    // ---- introspection ----

    @Override
    public List<ProcessStatus> processes() {
        lock.lock();
        try {
            List<ProcessStatus> all = new ArrayList<>();
            processes.values().forEach(p -> all.add(statusOf(p)));
            return all;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ProcessStatus> status(int pid) {
        lock.lock();
        try {
            return Optional.ofNullable(processes.get(pid)).map(this::statusOf);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under {@code lock}: a snapshot of {@code process}; the kernel's are the
     * scheduler's threads that belong to no process (its own), alive.
     */
    private ProcessStatus statusOf(Process process) {
        if (process != kernel) {
            return process.status();
        }
        List<ThreadStatus> own = kernelThreads.threads().stream()
                .filter(t -> !owners.containsKey(t) && t.state() != KernelThread.State.DEAD)
                .map(t -> new ThreadStatus(t.name(), t.state(), t.cpu(), t.cpuTime())).toList();
        boolean running = own.stream().anyMatch(t -> t.state() == KernelThread.State.RUNNING
                || t.state() == KernelThread.State.RUNNABLE);
        Duration cpu = own.stream().map(ThreadStatus::cpuTime).reduce(Duration.ZERO, Duration::plus);
        return new ProcessStatus(KERNEL, KERNEL, KERNEL, KERNEL, 0, running ? ProcessState.RUNNING
                : ProcessState.SLEEPING, cpu, 0, kernel.command, own);
    }

    /**
     * Kills every process but the kernel and init and stops init's reaper;
     * their threads unwind at their next safepoint (or now, if blocked).
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            for (Process process : processes.values()) {
                if (process != kernel && process != init) {
                    beginExitLocked(process, ExitStatus.killed(Signal.KILL));
                }
            }
            init.childEvents.wakeAll();
        } finally {
            lock.unlock();
        }
    }
}

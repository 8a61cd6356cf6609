package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.astralisp.kernel.proc.ProcessLifecycleTest.spinUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signal generation and delivery: at safepoints, to blocked threads, handlers, STOP/CONT, CHLD, errors. */
@Timeout(60)
class SignalsTest {

    /** A program that counts safepoint polls forever: CPU-bound, no system call. */
    static ProgramImage looper(ProcOnMachine kernel, AtomicLong counter) {
        return kernel.image((sys, args) -> {
            while (true) {
                Safepoint.poll();
                counter.incrementAndGet();
            }
        });
    }

    /**
     * A program sets a USR1 handler, then blocks in the call {@code setUp}
     * returns (named {@code call}): USR1 ends it with EINTR; blocked in it
     * again, TERM ends the process there.
     */
    static void assertInterruptedByAHandlerThenKilled(String call,
            java.util.function.Function<SystemCalls, Runnable> setUp) throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<String> interrupted = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.USR1, SignalDisposition.handler(signal -> { }));
                Runnable blocking = setUp.apply(sys);
                interrupted.set(refusal(blocking::run));
                blocking.run(); // TERM ends the process here
                return 0;
            }), status);
            eventually("the " + call + " blocks", () -> kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.USR1);
            eventually("the " + call + " was interrupted", () -> interrupted.get() != null);
            eventually("the " + call + " blocks again", () -> kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.TERM);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals("EINTR: " + call + " of process " + pid + " interrupted by a signal handler",
                    interrupted.get());
            assertEquals(ExitStatus.killed(Signal.TERM), status.get());
        }
    }

    /** Spawns {@code child} from a parent that waits for it and records how it ended; the child's pid. */
    static int spawnWatched(ProcOnMachine kernel, ProgramImage child, AtomicReference<ExitStatus> status)
            throws InterruptedException {
        AtomicInteger pid = new AtomicInteger();
        kernel.spawn((sys, args) -> {
            pid.set(sys.spawn(child, List.of()));
            status.set(sys.wait(pid.get(), false).orElseThrow().status());
            return 0;
        });
        eventually("the child was spawned", () -> pid.get() != 0);
        return pid.get();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCpuBoundLoopTakesIntAtItsNextSafepointAndDies(Architecture architecture) throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine(architecture, 2)) {
            AtomicLong polls = new AtomicLong();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, looper(kernel, polls), status);
            eventually("the loop runs", () -> polls.get() > 1000);
            kernel.table.kill(pid, Signal.INT);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.INT), status.get());
        }
    }

    @Test
    void aThreadStartedWhileTheProcessIsStoppedStopsAtItsFirstSafepoint() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicLong polls = new AtomicLong();
            AtomicLong helperPolls = new AtomicLong();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, looper(kernel, polls), status);
            eventually("the loop runs", () -> polls.get() > 100);
            kernel.table.kill(pid, Signal.STOP);
            eventually("the looping thread parked", () -> kernel.status(pid).orElseThrow().threads().get(0).state()
                    == KernelThread.State.BLOCKED);
            kernel.table.spawnThread(kernel.table.process(pid), "helper", () -> {
                while (true) {
                    Safepoint.poll();
                    helperPolls.incrementAndGet();
                }
            });
            eventually("the helper parked too", () -> kernel.status(pid).orElseThrow().threads().stream()
                    .allMatch(t -> t.state() == KernelThread.State.BLOCKED));
            assertEquals(0, helperPolls.get(), "the helper stopped at its first safepoint");
            kernel.table.kill(pid, Signal.CONT);
            eventually("the helper runs after CONT", () -> helperPolls.get() > 100);
            kernel.table.kill(pid, Signal.KILL);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.KILL), status.get());
        }
    }

    @Test
    void aThreadBlockedInWaitIsWokenAndTerminated() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean never = new AtomicBoolean();
            ProgramImage spinner = kernel.image((sys, args) -> {
                spinUntil(sys, never);
                return 0;
            });
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.wait(sys.spawn(spinner, List.of()), false);
                return 0;
            }), status);
            eventually("the child blocked in wait", () -> kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.TERM);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.TERM), status.get());
        }
    }

    @Test
    void aHandlerRunsOnTheProcessThreadAndTheProcessGoesOn() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<String> handledOn = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.USR1, SignalDisposition.handler(
                        signal -> handledOn.set(signal + " on " + KernelThread.current().name())));
                while (handledOn.get() == null) {
                    Safepoint.poll();
                }
                return 0;
            }), status);
            eventually("the handler is installed", () -> kernel.table.process(pid).dispositions.containsKey(Signal.USR1));
            kernel.table.kill(pid, Signal.USR1);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(List.of("USR1 on " + pid + "/main", ExitStatus.exited(0)), List.of(handledOn.get(),
                    status.get()));
        }
    }

    @Test
    void aHandledSignalEndsABlockingWaitWithEintr() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean spinnerMayEnd = new AtomicBoolean();
            AtomicReference<String> interrupted = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.USR2, SignalDisposition.handler(signal -> { }));
                int spinner = sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, spinnerMayEnd);
                    return 0;
                }), List.of());
                try {
                    sys.wait(spinner, false);
                } catch (SystemCallException e) {
                    interrupted.set(e.getMessage());
                }
                spinnerMayEnd.set(true);
                return sys.wait(spinner, false).orElseThrow().status().code() + 5;
            }), status);
            eventually("the child blocked in wait", () -> kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.USR2);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals("EINTR: wait of process " + pid + " interrupted by a signal handler", interrupted.get());
            assertEquals(ExitStatus.exited(5), status.get(), "after EINTR the process went on and reaped its child");
        }
    }

    @Test
    void anIgnoredSignalIsDiscarded() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean mayEnd = new AtomicBoolean();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.TERM, SignalDisposition.IGNORE);
                spinUntil(sys, mayEnd);
                return 0;
            }), status);
            eventually("TERM is ignored", () -> kernel.table.process(pid).dispositions.containsKey(Signal.TERM));
            kernel.table.kill(pid, Signal.TERM);
            assertEquals(List.of(), List.copyOf(kernel.table.process(pid).pending), "nothing pending");
            mayEnd.set(true);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.exited(0), status.get());
        }
    }

    @Test
    void killAndStopCannotBeCaughtOrIgnored() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<List<String>> refusals = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                refusals.set(List.of(
                        assertThrows(SystemCallException.class, () -> sys.sigaction(Signal.KILL,
                                SignalDisposition.handler(s -> { }))).getMessage(),
                        assertThrows(SystemCallException.class, () -> sys.sigaction(Signal.STOP,
                                SignalDisposition.IGNORE)).getMessage()));
                for (Signal signal : Signal.values()) {
                    if (signal.catchable()) {
                        sys.sigaction(signal, SignalDisposition.IGNORE);
                    }
                }
                while (true) {
                    Safepoint.poll();
                }
            }), status);
            eventually("every catchable signal ignored", () -> kernel.table.process(pid).dispositions.size()
                    == Signal.values().length - 2);
            kernel.table.kill(pid, Signal.KILL);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(List.of("EINVAL: SIGKILL cannot be caught or ignored (POSIX sigaction)",
                    "EINVAL: SIGSTOP cannot be caught or ignored (POSIX sigaction)"), refusals.get());
            assertEquals(ExitStatus.killed(Signal.KILL), status.get());
        }
    }

    @Test
    void stopParksEveryThreadUntilCont() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicLong polls = new AtomicLong();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, looper(kernel, polls), status);
            eventually("the loop runs", () -> polls.get() > 1000);
            kernel.table.kill(pid, Signal.STOP);
            assertEquals(ProcessState.STOPPED, kernel.state(pid));
            eventually("the looping thread parked", () -> kernel.status(pid).orElseThrow().threads().get(0).state()
                    == KernelThread.State.BLOCKED);
            long stoppedAt = polls.get();
            Thread.sleep(50);
            assertEquals(stoppedAt, polls.get(), "a stopped thread does not run");
            kernel.table.kill(pid, Signal.CONT);
            eventually("the loop runs again", () -> polls.get() > stoppedAt + 1000);
            kernel.table.kill(pid, Signal.KILL);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.KILL), status.get());
        }
    }

    @Test
    void aWaitInterruptedByStopAndContIsRestartedTransparently() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean spinnerMayEnd = new AtomicBoolean();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int pid = spawnWatched(kernel, kernel.image((sys, args) -> {
                int spinner = sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, spinnerMayEnd);
                    return 11;
                }), List.of());
                return sys.wait(spinner, false).orElseThrow().status().code();
            }), status);
            eventually("the child blocked in wait", () -> kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.STOP);
            kernel.table.kill(pid, Signal.CONT);
            spinnerMayEnd.set(true);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.exited(11), status.get(), "the wait went on after CONT and returned the code");
        }
    }

    @Test
    void theParentGetsChldWhenItsChildStopsContinuesAndExits() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicInteger chld = new AtomicInteger();
            AtomicBoolean childMayEnd = new AtomicBoolean();
            AtomicInteger child = new AtomicInteger();
            AtomicBoolean parentMayEnd = new AtomicBoolean();
            int parent = kernel.spawn((sys, args) -> {
                sys.sigaction(Signal.CHLD, SignalDisposition.handler(signal -> chld.incrementAndGet()));
                child.set(sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, childMayEnd);
                    return 0;
                }), List.of()));
                spinUntil(sys, parentMayEnd);
                sys.wait(child.get(), false);
                return 0;
            });
            eventually("the child runs", () -> child.get() != 0);
            kernel.table.kill(child.get(), Signal.STOP);
            eventually("CHLD for the stop", () -> chld.get() == 1);
            kernel.table.kill(child.get(), Signal.CONT);
            eventually("CHLD for the continue", () -> chld.get() == 2);
            childMayEnd.set(true);
            eventually("CHLD for the exit", () -> chld.get() == 3);
            parentMayEnd.set(true);
            kernel.awaitGone(parent);
        }
    }

    @Test
    void signallingTheKernelInitOrNobodyIsRefusedWithTheirOwnErrors() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            SystemCallException init = assertThrows(SystemCallException.class, () -> kernel.table.kill(1, Signal.TERM));
            SystemCallException kernelProcess = assertThrows(SystemCallException.class,
                    () -> kernel.table.kill(0, Signal.KILL));
            SystemCallException nobody = assertThrows(SystemCallException.class,
                    () -> kernel.table.kill(4242, Signal.TERM));
            SystemCallException noGroup = assertThrows(SystemCallException.class,
                    () -> kernel.table.kill(-4242, Signal.TERM));
            assertEquals(List.of("EPERM: kill SIGTERM: pid 1 is init and cannot be signalled",
                    "EPERM: kill SIGKILL: pid 0 is the kernel and cannot be signalled",
                    "ESRCH: kill SIGTERM: no process 4242", "ESRCH: kill SIGTERM: no process group 4242"),
                    List.of(init.getMessage(), kernelProcess.getMessage(), nobody.getMessage(), noGroup.getMessage()));
            assertEquals(List.of(0, 1), kernel.pids(), "nothing changed");
        }
    }

    @Test
    void aUserMayNotSignalAnotherUsersProcessNorBroadcast() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean rootMayEnd = new AtomicBoolean();
            int rootProcess = kernel.spawn((sys, args) -> {
                spinUntil(sys, rootMayEnd);
                return 0;
            });
            AtomicReference<List<String>> refusals = new AtomicReference<>();
            int user = kernel.spawn((sys, args) -> {
                refusals.set(List.of(
                        assertThrows(SystemCallException.class, () -> sys.kill(rootProcess, Signal.TERM)).getMessage(),
                        assertThrows(SystemCallException.class, () -> sys.kill(-1, Signal.TERM)).getMessage()));
                return 0;
            }, new Credentials(1000, 1000, List.of()), ResourceLimits.DEFAULT);
            kernel.awaitGone(user);
            assertEquals(List.of("EPERM: kill SIGTERM: process " + user + " (uid 1000) may not signal process "
                    + rootProcess + " (uid 0)", "EINVAL: kill of pid -1 (every process) is not supported"),
                    refusals.get());
            assertEquals(ProcessState.RUNNING, kernel.state(rootProcess), "the root process was not touched");
            rootMayEnd.set(true);
            kernel.awaitGone(rootProcess);
        }
    }

    @Test
    void killOfTheCallersGroupReachesEveryMemberButWhatIgnoresIt() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean never = new AtomicBoolean();
            AtomicReference<List<ExitStatus>> statuses = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                sys.sigaction(Signal.TERM, SignalDisposition.IGNORE);
                AtomicInteger ready = new AtomicInteger();
                ProgramImage spinner = kernel.image((s, a) -> {
                    s.sigaction(Signal.TERM, SignalDisposition.DEFAULT); // ignoring was inherited
                    ready.incrementAndGet();
                    spinUntil(s, never);
                    return 0;
                });
                int first = sys.spawn(spinner, List.of());
                int second = sys.spawn(spinner, List.of());
                while (ready.get() < 2) {
                    sys.yield();
                }
                sys.kill(0, Signal.TERM);
                statuses.set(List.of(sys.wait(first, false).orElseThrow().status(),
                        sys.wait(second, false).orElseThrow().status()));
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(List.of(ExitStatus.killed(Signal.TERM), ExitStatus.killed(Signal.TERM)), statuses.get());
        }
    }

    @Test
    void aProcessOverItsCpuTimeLimitGetsXcpu() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicReference<Duration> used = new AtomicReference<>();
            AtomicBoolean never = new AtomicBoolean();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, never);
                    return 0;
                }), List.of());
                status.set(sys.wait(pid, false).orElseThrow().status());
                return 0;
            }, Credentials.ROOT, ResourceLimits.DEFAULT.withCpuTime(Duration.ofMillis(30)));
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.killed(Signal.XCPU), status.get());
        }
    }

    @Test
    void aLoopThatMakesNoSystemCallIsStoppedAtItsCpuTimeLimit() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicLong polls = new AtomicLong();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(looper(kernel, polls), List.of());
                status.set(sys.wait(pid, false).orElseThrow().status());
                return 0;
            }, Credentials.ROOT, ResourceLimits.DEFAULT.withCpuTime(Duration.ofMillis(30)));
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.killed(Signal.XCPU), status.get(), "only polls, never a system call");
        }
    }

    @Test
    void aLoopThatHandlesXcpuAndGoesOnIsKilledAfterTheGrace() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicInteger xcpus = new AtomicInteger();
            AtomicLong polls = new AtomicLong();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(kernel.image((s, a) -> {
                    s.sigaction(Signal.XCPU, SignalDisposition.handler(signal -> xcpus.incrementAndGet()));
                    while (true) {
                        org.astralisp.kernel.api.sched.Safepoint.poll();
                        polls.incrementAndGet();
                    }
                }), List.of());
                status.set(sys.wait(pid, false).orElseThrow().status());
                return 0;
            }, Credentials.ROOT, ResourceLimits.DEFAULT.withCpuTime(Duration.ofMillis(30)));
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.killed(Signal.KILL), status.get());
            assertEquals(1, xcpus.get(), "XCPU once, then KILL at the check after the grace");
        }
    }
}

package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.kernel.api.syscall.WaitResult;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Spawn, exit, wait, zombies and orphans, on real machines. */
@Timeout(60)
class ProcessLifecycleTest {

    /** Spins, yielding the vCPU, until {@code flag} is set (a program must not block its vCPU on a host lock). */
    static void spinUntil(SystemCalls sys, AtomicBoolean flag) {
        while (!flag.get()) {
            sys.yield();
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aParentsWaitReapsItsChildAndSeesItsExitCode(Architecture architecture) throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine(architecture, 2)) {
            AtomicReference<Object> seen = new AtomicReference<>();
            ProgramImage child = kernel.image((sys, args) -> 7);
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(child, List.of());
                WaitResult result = sys.wait(pid, false).orElseThrow();
                seen.set(List.of(result.pid() == pid, result.status(), kernel.status(pid).isPresent()));
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(List.of(true, ExitStatus.exited(7), false), seen.get(),
                    "wait returned the child's pid and exit code 7, and the child left the table");
        }
    }

    @Test
    void anEndedChildIsAZombieUntilItsParentWaits() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean mayWait = new AtomicBoolean();
            AtomicInteger childPid = new AtomicInteger();
            AtomicReference<WaitResult> reaped = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                childPid.set(sys.spawn(kernel.image((s, a) -> 3), List.of()));
                spinUntil(sys, mayWait);
                reaped.set(sys.wait(-1, false).orElseThrow());
                return 0;
            });
            eventually("the child became a zombie", () -> childPid.get() != 0
                    && kernel.state(childPid.get()) == ProcessState.ZOMBIE);
            ProcessStatus zombie = kernel.status(childPid.get()).orElseThrow();
            assertEquals(parent, zombie.ppid(), "a zombie stays its parent's child");
            assertEquals(List.of(), zombie.threads(), "a zombie has no threads");
            mayWait.set(true);
            kernel.awaitGone(parent);
            assertEquals(new WaitResult(childPid.get(), ExitStatus.exited(3)), reaped.get());
            assertTrue(kernel.status(childPid.get()).isEmpty(), "reaped: gone from the table");
        }
    }

    @Test
    void waitWithoutHangingAnswersEmptyWhileTheChildRuns() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean childMayEnd = new AtomicBoolean();
            AtomicReference<Object> seen = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, childMayEnd);
                    return 4;
                }), List.of());
                Optional<WaitResult> early = sys.wait(pid, true);
                childMayEnd.set(true);
                WaitResult late = sys.wait(pid, false).orElseThrow();
                seen.set(List.of(early, late.status()));
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(List.of(Optional.empty(), ExitStatus.exited(4)), seen.get());
        }
    }

    @Test
    void waitingWithoutChildrenOrForAStrangerIsEchild() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<List<String>> errors = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                SystemCallException none = assertThrows(SystemCallException.class, () -> sys.wait(-1, false));
                SystemCallException stranger = assertThrows(SystemCallException.class, () -> sys.wait(1, true));
                errors.set(List.of(none.errno().name(), none.getMessage(), stranger.getMessage()));
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(List.of("ECHILD", "ECHILD: process " + parent + " has no child",
                    "ECHILD: process 1 is not a child of process " + parent), errors.get());
        }
    }

    @Test
    void orphansAreReparentedToInitWhichReapsThem() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean orphanMayEnd = new AtomicBoolean();
            AtomicInteger orphan = new AtomicInteger();
            AtomicInteger ppidSeenByOrphan = new AtomicInteger(-1);
            int parent = kernel.spawn((sys, args) -> {
                orphan.set(sys.spawn(kernel.image((s, a) -> {
                    spinUntil(s, orphanMayEnd);
                    ppidSeenByOrphan.set(s.getppid());
                    return 0;
                }), List.of()));
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(ProcessTable.INIT, kernel.status(orphan.get()).orElseThrow().ppid(),
                    "the orphan's parent is init once its parent ended");
            orphanMayEnd.set(true);
            kernel.awaitGone(orphan.get());
            assertEquals(ProcessTable.INIT, ppidSeenByOrphan.get(), "getppid in the orphan answers 1");
        }
    }

    @Test
    void aProgramThatThrowsEndsWithTheFailureStatusItsParentSees() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(kernel.image((s, a) -> {
                    throw new IllegalStateException("the program's own bug");
                }), List.of());
                status.set(sys.wait(pid, false).orElseThrow().status());
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.exited(ExitStatus.FAILURE), status.get());
        }
    }

    @Test
    void spawningAnImageNoLoaderAcceptsIsEnoexecAndCreatesNothing() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Integer> before = kernel.pids();
            SystemCallException unknown = assertThrows(SystemCallException.class, () -> kernel.table.spawn(
                    ProgramImage.at("elf:/bin/sh"), List.of(), org.astralisp.kernel.api.proc.Credentials.ROOT,
                    org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT));
            assertEquals(Errno.ENOEXEC, unknown.errno());
            assertEquals("ENOEXEC: cannot spawn elf:/bin/sh: no program loader accepts it (registered: java classes, "
                    + "test programs)", unknown.getMessage());
            SystemCallException broken = assertThrows(SystemCallException.class, () -> kernel.table.spawn(
                    ProgramImage.at("java:org.astralisp.NoSuchProgram"), List.of(),
                    org.astralisp.kernel.api.proc.Credentials.ROOT,
                    org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT));
            assertEquals(Errno.ENOEXEC, broken.errno());
            assertTrue(broken.getMessage().startsWith("ENOEXEC: cannot spawn java:org.astralisp.NoSuchProgram: java "
                    + "classes loader: no class org.astralisp.NoSuchProgram"), broken.getMessage());
            assertEquals(before, kernel.pids(), "no process was created");
        }
    }

    @Test
    void exitFromASecondThreadEndsEveryThreadOfTheProcess() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicBoolean mainReturned = new AtomicBoolean();
            int parent = kernel.spawn((sys, args) -> {
                int pid = sys.spawn(kernel.image((s, a) -> {
                    s.spawnThread("quitter", () -> s.exit(9));
                    while (true) {
                        s.yield(); // unwound here by the exit of the other thread
                        if (mainReturned.get()) {
                            return 0;
                        }
                    }
                }), List.of());
                status.set(sys.wait(pid, false).orElseThrow().status());
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.exited(9), status.get());
        }
    }

    @Test
    void theKernelAndInitAreTheFirstTwoProcesses() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ProcessStatus kernelProcess = kernel.status(ProcessTable.KERNEL).orElseThrow();
            ProcessStatus init = kernel.status(ProcessTable.INIT).orElseThrow();
            assertEquals(List.of("kernel", 0, "init", 0, 1), List.of(kernelProcess.command(), kernelProcess.ppid(),
                    init.command(), init.ppid(), init.pgid()));
            assertEquals(List.of("reaper"), init.threads().stream().map(t -> t.name()).toList(),
                    "init's one thread, blocked until an orphan ends");
            eventually("init's reaper blocked", () -> kernel.state(ProcessTable.INIT) == ProcessState.SLEEPING);
        }
    }

    @Test
    void theKernelsOwnThreadsAreThoseOfNoProcess() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean mayEnd = new AtomicBoolean();
            var worker = kernel.threads.thread(1, "kworker", () -> {
                while (!mayEnd.get()) {
                    org.astralisp.kernel.api.sched.KernelThread.yield();
                }
            });
            worker.start();
            ProcessStatus kernelProcess = kernel.status(ProcessTable.KERNEL).orElseThrow();
            assertEquals(List.of("kworker"), kernelProcess.threads().stream().map(t -> t.name()).toList(),
                    "not init's reaper, which is init's");
            mayEnd.set(true);
            assertTrue(worker.join(java.time.Duration.ofSeconds(10)));
            assertEquals(List.of(), kernel.status(ProcessTable.KERNEL).orElseThrow().threads(), "a dead one goes");
        }
    }

    @Test
    void aSystemCallFromAThreadOfNoProcessIsEperm() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            SystemCallException e = assertThrows(SystemCallException.class, () -> kernel.sys.getpid());
            assertEquals(Errno.EPERM, e.errno());
            assertTrue(e.getMessage().endsWith("which is not a thread of any process"), e.getMessage());
        }
    }
}

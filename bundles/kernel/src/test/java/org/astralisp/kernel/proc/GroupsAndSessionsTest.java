package org.astralisp.kernel.proc;

import static org.astralisp.kernel.proc.ProcessLifecycleTest.spinUntil;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Process groups and sessions as POSIX.1-2017 XSH setpgid, setsid, getpgid and getsid have them. */
@Timeout(60)
class GroupsAndSessionsTest {

    @Test
    void aSpawnedChildIsInItsParentsGroupAndSession() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT, (sys, record) -> {
                AtomicReference<List<Integer>> childIds = new AtomicReference<>();
                int child = sys.spawn(kernel.image((s, a) -> {
                    childIds.set(List.of(s.getpgid(0), s.getsid(0)));
                    return 0;
                }), List.of());
                sys.wait(child, false);
                record.add(List.of(sys.getpid(), sys.getpgid(0), sys.getsid(0)));
                record.add(childIds.get());
            });
            int leader = 2;
            assertEquals(List.of(List.of(leader, leader, leader), List.of(leader, leader)), seen);
        }
    }

    @Test
    void setpgidMovesAChildBetweenGroupsOfTheSessionAndRefusesEverythingElse() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean never = new AtomicBoolean();
            ProgramImage spinner = kernel.image((s, a) -> {
                spinUntil(s, never);
                return 0;
            });
            List<Object> seen = kernel.inProcess(org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT, (sys, record) -> {
                int self = sys.getpid();
                int child = sys.spawn(spinner, List.of());
                sys.setpgid(child, 0);
                record.add(sys.getpgid(child) == child);
                sys.setpgid(child, self);
                record.add(sys.getpgid(child) == self);
                record.add(refusal(() -> sys.setpgid(child, 30000)));
                record.add(refusal(() -> sys.setpgid(1, 0)));
                record.add(refusal(() -> sys.setpgid(-1, 0)));
                record.add(refusal(() -> sys.setpgid(0, 0)));
                sys.kill(child, org.astralisp.kernel.api.syscall.Signal.KILL);
                sys.wait(child, false);
            });
            int leader = 2; // the first process the kernel spawns: pids are handed out from 2
            assertEquals(List.of(true, true,
                    "EPERM: setpgid: no process group 30000 in session " + leader,
                    "ESRCH: setpgid: process 1 is neither the caller nor a child of process " + leader,
                    "EINVAL: setpgid(-1, 0): negative id",
                    "EPERM: setpgid: process " + leader + " leads session " + leader + " and cannot change its group"),
                    seen);
        }
    }

    @Test
    void setsidMakesANewSessionExceptForAGroupLeader() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean never = new AtomicBoolean();
            AtomicReference<List<Object>> childSaw = new AtomicReference<>();
            ProgramImage newSession = kernel.image((s, a) -> {
                int sid = s.setsid();
                childSaw.set(List.of(sid == s.getpid(), s.getpgid(0) == sid, s.getsid(0) == sid));
                spinUntil(s, never);
                return 0;
            });
            ProgramImage spinner = kernel.image((s, a) -> {
                spinUntil(s, never);
                return 0;
            });
            List<Object> seen = kernel.inProcess(org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT, (sys, record) -> {
                record.add(refusal(sys::setsid));
                int leader = sys.spawn(newSession, List.of());
                while (childSaw.get() == null) {
                    sys.yield();
                }
                int other = sys.spawn(spinner, List.of());
                record.add(refusal(() -> sys.setpgid(leader, sys.getpid())));
                record.add(refusal(() -> sys.setpgid(other, leader)));
                record.add(sys.getsid(other) == sys.getpid());
                sys.kill(leader, org.astralisp.kernel.api.syscall.Signal.KILL);
                sys.kill(other, org.astralisp.kernel.api.syscall.Signal.KILL);
                sys.wait(leader, false);
                sys.wait(other, false);
                record.add(leader);
            });
            int leader = (Integer) seen.get(4);
            assertEquals(List.of(true, true, true), childSaw.get(), "the child leads its new session and group");
            assertEquals(List.of("EPERM: setsid: process 2 leads a process group (or one has its id)",
                    "EPERM: setpgid: process " + leader + " leads session " + leader + " and cannot change its group",
                    "EPERM: setpgid: no process group " + leader + " in session 2", true), seen.subList(0, 4));
        }
    }
}

package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.tty.JobControlTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console session: its leader process, ^C to the foreground group, HUP when the terminal goes. */
@Timeout(60)
class ConsoleSessionTest {

    /** A terminal whose ^C the test types by running the handler the session set. */
    static final class FakeTerminal implements JobControlTerminal {
        final AtomicReference<Runnable> handler = new AtomicReference<>();

        @Override
        public void setInterruptHandler(Runnable handler) {
            this.handler.set(handler);
        }

        void typeControlC() {
            handler.get().run();
        }
    }

    @Test
    void theConsoleProcessLeadsItsSessionAndWaitsForControlC() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ConsoleSession session = new ConsoleSession(kernel.table, "ttyS0", new FakeTerminal());
            eventually("the console process blocks", () -> kernel.state(session.pid()) == ProcessState.SLEEPING);
            ProcessStatus console = kernel.status(session.pid()).orElseThrow();
            assertEquals(List.of("console ttyS0", 1, session.pid(), session.pid(), List.of("main")),
                    List.of(console.command(), console.ppid(), console.pgid(), console.sid(),
                            console.threads().stream().map(t -> t.name()).toList()));
            assertEquals(session.pid(), session.foregroundGroup(), "its own group is in the foreground");
        }
    }

    @Test
    void controlCInterruptsTheForegroundGroupAndNotTheConsoleProcess() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            FakeTerminal terminal = new FakeTerminal();
            ConsoleSession session = new ConsoleSession(kernel.table, "ttyS0", terminal);
            eventually("the console process ignores INT", () -> kernel.state(session.pid()) == ProcessState.SLEEPING);
            terminal.typeControlC();
            eventually("INT went to the console's own group", () -> session.interruptsDelivered() == 1);
            AtomicLong polls = new AtomicLong();
            Process console = kernel.table.process(session.pid());
            int job = kernel.table.spawn(console, kernel.image((sys, args) -> {
                // the ignored INT of the console process is inherited (XSH exec): a job resets it, as shells do
                sys.sigaction(org.astralisp.kernel.api.syscall.Signal.INT,
                        org.astralisp.kernel.api.syscall.SignalDisposition.DEFAULT);
                while (true) {
                    org.astralisp.kernel.api.sched.Safepoint.poll();
                    polls.incrementAndGet();
                }
            }), List.of());
            kernel.table.setpgid(console, job, 0);
            session.setForegroundGroup(job);
            eventually("the job runs", () -> polls.get() > 100);
            terminal.typeControlC();
            eventually("the job ended", () -> kernel.state(job) == ProcessState.ZOMBIE);
            assertEquals(org.astralisp.kernel.api.syscall.ExitStatus.killed(org.astralisp.kernel.api.syscall.Signal.INT),
                    kernel.table.process(job).exitStatus);
            assertEquals(ProcessState.SLEEPING, kernel.state(session.pid()), "the console process lives on");
            terminal.typeControlC();
            eventually("a ^C for a group that has gone brings the console back to the foreground",
                    () -> session.foregroundGroup() == session.pid());
        }
    }

    @Test
    void onlyAGroupOfTheSessionCanBeInTheForeground() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ConsoleSession session = new ConsoleSession(kernel.table, "ttyS0", new FakeTerminal());
            SystemCallException e = assertThrows(SystemCallException.class, () -> session.setForegroundGroup(1));
            assertEquals("ESRCH: no process group 1 in the console's session " + session.pid(), e.getMessage());
        }
    }

    @Test
    void whenTheTerminalGoesTheConsoleProcessGetsHupAndEnds() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            FakeTerminal terminal = new FakeTerminal();
            ConsoleSession session = new ConsoleSession(kernel.table, "ttyS0", terminal);
            eventually("the console process blocks", () -> kernel.state(session.pid()) == ProcessState.SLEEPING);
            Process console = kernel.table.process(session.pid());
            session.close();
            kernel.awaitGone(session.pid());
            assertEquals(org.astralisp.kernel.api.syscall.ExitStatus.killed(org.astralisp.kernel.api.syscall.Signal.HUP),
                    console.exitStatus);
            assertNull(terminal.handler.get(), "the terminal's ^C no longer reaches the session");
            session.close();
            assertSame(null, terminal.handler.get());
        }
    }
}

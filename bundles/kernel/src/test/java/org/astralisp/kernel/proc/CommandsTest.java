package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ThreadStatus;
import org.astralisp.kernel.api.sched.KernelThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's ps, kill and top. */
@Timeout(60)
class CommandsTest {

    private static final List<ProcessStatus> KNOWN = List.of(
            new ProcessStatus(0, 0, 0, 0, 0, ProcessState.SLEEPING, Duration.ZERO, 0, "kernel", List.of()),
            new ProcessStatus(1, 0, 1, 1, 0, ProcessState.SLEEPING, Duration.ofMillis(2), 0, "init",
                    List.of(new ThreadStatus("reaper", KernelThread.State.BLOCKED, 0, Duration.ofMillis(2)))),
            new ProcessStatus(7, 1, 7, 7, 1000, ProcessState.RUNNING, Duration.ofMillis(61_234), 12, "java:Loop -v",
                    List.of(new ThreadStatus("main", KernelThread.State.RUNNING, 1, Duration.ofMillis(61_234)))));

    static String run(ConsoleCommand command, String... args) throws CommandException {
        StringWriter text = new StringWriter();
        command.execute(List.of(args), new PrintWriter(text, true));
        return text.toString();
    }

    static String refusal(ConsoleCommand command, String... args) {
        return assertThrows(CommandException.class, () -> run(command, args)).getMessage();
    }

    @Test
    void psPrintsOneRowPerProcessAndWithDashTTheirThreads() {
        assertEquals("""
                  PID  PPID  PGID   SID   UID S       TIME  PAGES COMMAND
                    0     0     0     0     0 S   0:00.000      0 kernel
                    1     0     1     1     0 S   0:00.002      0 init
                    7     1     7     7  1000 R   1:01.234     12 java:Loop -v
                """, ProcessListing.render(KNOWN, false));
        assertEquals("""
                  PID  PPID  PGID   SID   UID S       TIME  PAGES COMMAND
                    0     0     0     0     0 S   0:00.000      0 kernel
                    1     0     1     1     0 S   0:00.002      0 init
                                              S   0:00.002          reaper (CPU 0)
                    7     1     7     7  1000 R   1:01.234     12 java:Loop -v
                                              R   1:01.234          main (CPU 1)
                """, ProcessListing.render(KNOWN, true));
    }

    @Test
    void psListsTheKernelInitAndTheConsoleProcessOfARealTable() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            new ConsoleSession(kernel.table, "ttyS0", new ConsoleSessionTest.FakeTerminal());
            PsCommand ps = new PsCommand(kernel.table);
            String listing = run(ps, "-T");
            assertTrue(listing.matches("(?s)\\s+PID.*\n\\s+0\\s+0\\s+0\\s+0\\s+0 S .* kernel\n"
                    + "\\s+1\\s+0\\s+1\\s+1\\s+0 [RS] .* init\n\\s+[RS] .* reaper \\(CPU 0\\)\n"
                    + "\\s+2\\s+1\\s+2\\s+2\\s+0 [RS] .* console ttyS0\n\\s+[RS] .* main \\(CPU 1\\)\n"), listing);
            assertEquals("unknown arguments '-x' (usage: ps [-T])", refusal(ps, "-x"));
        }
    }

    @Test
    void killSendsANamedOrNumberedSignalAndReportsEachRefusal() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            KillCommand kill = new KillCommand(kernel.table);
            AtomicLong polls = new AtomicLong();
            int looper = kernel.table.spawn(SignalsTest.looper(kernel, polls), List.of(),
                    org.astralisp.kernel.api.proc.Credentials.ROOT, org.astralisp.kernel.api.proc.ResourceLimits.DEFAULT);
            eventually("the loop runs", () -> polls.get() > 100);
            run(kill, String.valueOf(looper), "19");
            assertEquals(ProcessState.STOPPED, kernel.state(looper));
            run(kill, String.valueOf(looper), "sigcont");
            run(kill, String.valueOf(looper));
            kernel.awaitGone(looper);
            assertEquals(List.of("takes a pid and optionally a signal (usage: kill PID [SIG])",
                    "'abc' is not a pid (usage: kill PID [SIG])",
                    "EINVAL: 'FOO' is not a signal (names: HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM CHLD CONT STOP "
                            + "XCPU, or their numbers)",
                    "EPERM: kill SIGTERM: pid 1 is init and cannot be signalled",
                    "EPERM: kill SIGKILL: pid 0 is the kernel and cannot be signalled",
                    "ESRCH: kill SIGTERM: no process 4242", "ESRCH: kill SIGINT: no process group 4242"),
                    List.of(refusal(kill), refusal(kill, "abc"), refusal(kill, "2", "FOO"), refusal(kill, "1"),
                            refusal(kill, "0", "KILL"), refusal(kill, "4242"), refusal(kill, "-4242", "INT")));
        }
    }

    @Test
    void topRanksByCpuShareOverTheInterval() {
        Map<Integer, Duration> before = Map.of(0, Duration.ZERO, 1, Duration.ofMillis(2), 7, Duration.ofMillis(60_734));
        assertEquals("""

                top: 3 processes: 1 running, 2 sleeping, 0 stopped, 0 zombie
                  PID   UID S   %CPU       TIME THREADS COMMAND
                    7  1000 R   50.0   1:01.234       1 java:Loop -v
                    0     0 S    0.0   0:00.000       0 kernel
                    1     0 S    0.0   0:00.002       1 init
                """, TopCommand.render(KNOWN, before, Duration.ofSeconds(1)));
    }

    @Test
    void topDashNPrintsThatManyFramesWithoutReading() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            TopCommand top = new TopCommand(kernel.table, null, Duration.ofMillis(5));
            String frames = run(top, "-n", "3");
            assertEquals(3, frames.split("top: ", -1).length - 1, frames);
            assertEquals(List.of("-n takes a number of frames of at least 1, got '0'",
                    "unknown arguments '-d 1' (usage: top [-n N])",
                    "no console terminal to read q from; use top -n N"),
                    List.of(refusal(top, "-n", "0"), refusal(top, "-d", "1"), refusal(top)));
        }
    }

    @Test
    void topRefreshesUntilQIsTyped() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            LinkedBlockingQueue<TerminalInput> typed = new LinkedBlockingQueue<>();
            Terminal terminal = new Terminal() {
                @Override
                public String name() {
                    return "ttyS0 (test)";
                }

                @Override
                public TerminalInput read() throws InterruptedException {
                    return typed.take();
                }

                @Override
                public void write(String text) {
                    throw new AssertionError("top writes to its output, not to the terminal: " + text);
                }

                @Override
                public void setEcho(boolean echo) {
                    throw new AssertionError("top must not change the terminal's echo");
                }
            };
            TopCommand top = new TopCommand(kernel.table, terminal, Duration.ofMillis(5));
            StringWriter text = new StringWriter();
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    top.execute(List.of(), new PrintWriter(text, true));
                } catch (CommandException e) {
                    throw new IllegalStateException(e);
                }
            });
            typed.put(new TerminalInput.Line("x".getBytes(StandardCharsets.UTF_8)));
            eventually("two frames", () -> text.toString().split("top: \\d", -1).length > 2);
            typed.put(new TerminalInput.Line(" q ".getBytes(StandardCharsets.UTF_8)));
            running.get(10, TimeUnit.SECONDS);
            assertTrue(text.toString().startsWith("top: type q and Enter to quit\n"), text.toString());
        }
    }
}

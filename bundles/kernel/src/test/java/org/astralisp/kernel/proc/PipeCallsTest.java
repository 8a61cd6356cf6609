package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.syscall.PipeHandles;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipe system calls: bytes between processes, ends passed over channels, EOF, EPIPE and SIGPIPE, signals, every refusal. */
@Timeout(60)
class PipeCallsTest {

    static final Duration FOREVER = SystemCalls.FOREVER;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything read from {@code readEnd} until the end of file, as text. */
    private static String readToEnd(SystemCalls sys, int readEnd) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Optional<byte[]> chunk = sys.pipeRead(readEnd, 3, FOREVER); chunk.isPresent();
                chunk = sys.pipeRead(readEnd, 3, FOREVER)) {
            all.writeBytes(chunk.get());
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aReadEndPassedOverAChannelReadsWhatTheParentWroteThenTheEndOfFile() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<List<Object>> childSaw = new AtomicReference<>();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(1);
                int child = sys.spawn(kernel.image((s, a) -> {
                    int readEnd = s.receive(0, FOREVER).orElseThrow().handles()[0];
                    childSaw.set(List.of(s.handleType(readEnd), readToEnd(s, readEnd)));
                    return 0;
                }), List.of(), new int[] {channel});
                PipeHandles pipe = sys.pipeCreate(4);
                record.add(List.of(sys.handleType(pipe.readEnd()), sys.handleType(pipe.writeEnd())));
                sys.send(channel, new byte[0], new int[] {pipe.readEnd()}, FOREVER);
                record.add(refusal(() -> sys.handleType(pipe.readEnd())));
                record.add(sys.pipeWrite(pipe.writeEnd(), bytes("through a pipe "), FOREVER)); // 4 bytes at a time
                record.add(sys.pipeWrite(pipe.writeEnd(), bytes("of 4 bytes"), FOREVER));
                sys.close(pipe.writeEnd());
                record.add(sys.wait(child, false).orElseThrow().status());
            });
            assertEquals(List.of(HandleType.PIPE_READ_END, "through a pipe of 4 bytes"), childSaw.get());
            assertEquals(List.of(List.of(HandleType.PIPE_READ_END, HandleType.PIPE_WRITE_END),
                    "EBADF: handle 1: no such handle in process 2's table", 15, 10, ExitStatus.exited(0)), seen);
        }
    }

    @Test
    void theEndOfFileComesWithTheLastHandleOfTheWriteEnd() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                PipeHandles pipe = sys.pipeCreate(16);
                int copy = sys.dup(pipe.writeEnd());
                sys.pipeWrite(pipe.writeEnd(), bytes("ab"), FOREVER);
                sys.close(pipe.writeEnd());
                record.add(new String(sys.pipeRead(pipe.readEnd(), 16, Duration.ZERO).orElseThrow(),
                        StandardCharsets.UTF_8));
                record.add(refusal(() -> sys.pipeRead(pipe.readEnd(), 16, Duration.ZERO)));
                sys.close(copy);
                record.add(sys.pipeRead(pipe.readEnd(), 16, Duration.ZERO));
                record.add(sys.pipeRead(pipe.readEnd(), 16, FOREVER));
            });
            assertEquals(List.of("ab", "EAGAIN: pipeRead on the read end of pipe of process 2 (16 bytes): it would "
                    + "wait", Optional.empty(), Optional.empty()), seen);
        }
    }

    @Test
    void everyBadPipeCallIsRefusedAndChangesNothing() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT.withHandles(4), (sys, record) -> {
                int channel = sys.channelCreate(1);
                PipeHandles pipe = sys.pipeCreate(4);
                int r = pipe.readEnd();
                int w = pipe.writeEnd();
                record.add(refusal(() -> sys.pipeCreate(0)));
                record.add(refusal(() -> sys.pipeCreate(SystemCalls.MAX_PIPE_CAPACITY + 1)));
                record.add(refusal(() -> sys.pipeRead(w, 1, FOREVER)));
                record.add(refusal(() -> sys.pipeWrite(r, bytes("x"), FOREVER)));
                record.add(refusal(() -> sys.pipeRead(channel, 1, FOREVER)));
                record.add(refusal(() -> sys.pipeWrite(7, bytes("x"), FOREVER)));
                record.add(refusal(() -> sys.pipeRead(-1, 1, FOREVER)));
                record.add(refusal(() -> sys.pipeRead(r, 0, FOREVER)));
                record.add(refusal(() -> sys.pipeRead(r, SystemCalls.MAX_PIPE_TRANSFER + 1, FOREVER)));
                record.add(refusal(() -> sys.pipeRead(r, 1, Duration.ofMillis(-1))));
                record.add(refusal(() -> sys.pipeWrite(w, bytes("x"), Duration.ofMillis(-1))));
                record.add(refusal(() -> sys.pipeWrite(w, null, FOREVER)));
                record.add(refusal(() -> sys.pipeWrite(w, new byte[SystemCalls.MAX_PIPE_TRANSFER + 1], FOREVER)));
                record.add(refusal(() -> sys.pipeRead(r, 1, Duration.ofMillis(20))));
                record.add(sys.pipeWrite(w, new byte[0], Duration.ZERO));
                record.add(sys.pipeWrite(w, bytes("123456"), Duration.ZERO)); // partial: what fits
                record.add(refusal(() -> sys.pipeWrite(w, bytes("7"), Duration.ZERO)));
                record.add(refusal(() -> sys.pipeWrite(w, bytes("7"), Duration.ofMillis(20))));
                sys.channelCreate(1); // 4 handles: the limit
                record.add(refusal(() -> sys.pipeCreate(1)));
                sys.close(channel);
                record.add(refusal(() -> sys.pipeCreate(1))); // room for one end only: neither is installed
                record.add(new String(sys.pipeRead(r, 10, FOREVER).orElseThrow(), StandardCharsets.UTF_8));
                record.add(kernel.table.process(2).handles.count());
            });
            String read = "the read end of pipe of process 2 (4 bytes)";
            String write = "the write end of pipe of process 2 (4 bytes)";
            assertEquals(List.of(
                    "EINVAL: pipeCreate: capacity 0 bytes is outside 1..1048576",
                    "EINVAL: pipeCreate: capacity 1048577 bytes is outside 1..1048576",
                    "EINVAL: handle 2 of process 2 names " + write + ", not a PIPE_READ_END handle",
                    "EINVAL: handle 1 of process 2 names " + read + ", not a PIPE_WRITE_END handle",
                    "EINVAL: handle 0 of process 2 names channel of process 2 (capacity 1), not a PIPE_READ_END "
                            + "handle",
                    "EBADF: handle 7: no such handle in process 2's table",
                    "EBADF: handle -1: no such handle in process 2's table",
                    "EINVAL: pipeRead: 0 bytes asked, outside 1..1048576",
                    "EINVAL: pipeRead: 1048577 bytes asked, outside 1..1048576",
                    "EINVAL: pipeRead: timeout PT-0.001S is not a duration of zero or more",
                    "EINVAL: pipeWrite: timeout PT-0.001S is not a duration of zero or more",
                    "EFAULT: pipeWrite: data is null",
                    "EINVAL: pipeWrite: 1048577 bytes, more than 1048576",
                    "ETIMEDOUT: pipeRead on " + read + ": timed out after PT0.02S",
                    0, 4,
                    "EAGAIN: pipeWrite on " + write + ": it would wait",
                    "ETIMEDOUT: pipeWrite on " + write + ": timed out after PT0.02S",
                    "EMFILE: process 2 holds 4 handles of its limit of 4; 2 more do not fit",
                    "EMFILE: process 2 holds 3 handles of its limit of 4; 2 more do not fit",
                    "1234", 3), seen);
        }
    }

    @Test
    void aWriteWithoutReadersSendsSigpipeWhichKillsByDefault() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicBoolean survived = new AtomicBoolean();
            SignalsTest.spawnWatched(kernel, kernel.image((sys, args) -> {
                PipeHandles pipe = sys.pipeCreate(8);
                sys.close(pipe.readEnd());
                sys.pipeWrite(pipe.writeEnd(), bytes("lost"), FOREVER);
                survived.set(true);
                return 0;
            }), status);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.PIPE), status.get());
            assertEquals(false, survived.get(), "the write did not return");
        }
    }

    @Test
    void aWriterThatIgnoresOrHandlesSigpipeGetsEpipe() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicInteger handled = new AtomicInteger();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                PipeHandles pipe = sys.pipeCreate(8);
                sys.close(pipe.readEnd());
                sys.sigaction(Signal.PIPE, SignalDisposition.IGNORE);
                record.add(refusal(() -> sys.pipeWrite(pipe.writeEnd(), bytes("x"), FOREVER)));
                sys.sigaction(Signal.PIPE, SignalDisposition.handler(signal -> handled.incrementAndGet()));
                record.add(refusal(() -> sys.pipeWrite(pipe.writeEnd(), bytes("x"), FOREVER)));
                record.add(handled.get());
            });
            String epipe = "EPIPE: pipeWrite: the write end of pipe of process 2 (8 bytes) has no reader: its read "
                    + "end is closed";
            assertEquals(List.of(epipe, epipe, 1), seen);
        }
    }

    @Test
    void aWriterBlockedOnAFullPipeGetsEpipeWhenTheReaderGoes() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<String> refused = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicBoolean blocking = new AtomicBoolean();
            AtomicBoolean closeNow = new AtomicBoolean();
            int pid = SignalsTest.spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.PIPE, SignalDisposition.IGNORE);
                PipeHandles ends = sys.pipeCreate(2);
                sys.spawnThread("closer", () -> {
                    while (!closeNow.get()) {
                        sys.sleep(Duration.ofMillis(1));
                    }
                    sys.close(ends.readEnd());
                });
                blocking.set(true);
                sys.pipeWrite(ends.writeEnd(), new byte[2], FOREVER); // full
                refused.set(refusal(() -> sys.pipeWrite(ends.writeEnd(), new byte[1], FOREVER)));
                return 0;
            }), status);
            eventually("the writer blocks on the full pipe (and the closer sleeps)", () -> blocking.get()
                    && kernel.state(pid) == ProcessState.SLEEPING);
            closeNow.set(true);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals("EPIPE: pipeWrite: the write end of pipe of process " + pid + " (2 bytes) has no reader: "
                    + "its read end is closed", refused.get());
            assertEquals(ExitStatus.exited(0), status.get());
        }
    }

    @Test
    void aBlockedReadEndsWithEintrWhenAHandlerRunsAndWithTheProcessOnTerm() throws Exception {
        SignalsTest.assertInterruptedByAHandlerThenKilled("pipeRead", sys -> {
            PipeHandles pipe = sys.pipeCreate(1);
            return () -> sys.pipeRead(pipe.readEnd(), 1, FOREVER);
        });
    }

    @Test
    void aBlockedWriteInterruptedByAHandlerReturnsWhatItWroteOrEintr() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<List<Object>> seen = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            AtomicInteger phase = new AtomicInteger();
            int pid = SignalsTest.spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.USR1, SignalDisposition.handler(signal -> { }));
                PipeHandles pipe = sys.pipeCreate(4);
                phase.set(1);
                int partial = sys.pipeWrite(pipe.writeEnd(), bytes("abcdef"), FOREVER); // 4 fit, then it blocks
                phase.set(2);
                String none = refusal(() -> sys.pipeWrite(pipe.writeEnd(), bytes("g"), FOREVER));
                seen.set(List.of(partial, none));
                return 0;
            }), status);
            eventually("the writer blocks with 4 of 6 bytes written", () -> phase.get() == 1
                    && kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.USR1);
            eventually("the second write blocks", () -> phase.get() == 2
                    && kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.USR1);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(List.of(4, "EINTR: pipeWrite of process " + pid + " interrupted by a signal handler"),
                    seen.get());
        }
    }

    @Test
    void aReadGoesOnWhenAnotherThreadClosesItsHandleMeanwhile() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicBoolean reading = new AtomicBoolean();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                PipeHandles pipe = sys.pipeCreate(4);
                int pid = sys.getpid();
                sys.spawnThread("closer", () -> {
                    while (!reading.get() || !mainBlocked(kernel, pid)) {
                        sys.sleep(Duration.ofMillis(1));
                    }
                    sys.close(pipe.readEnd());
                    sys.pipeWrite(pipe.writeEnd(), bytes("x"), FOREVER);
                });
                reading.set(true);
                // the read holds the end: closing its last handle meanwhile does not close it under the read (Linux's fdget)
                record.add(new String(sys.pipeRead(pipe.readEnd(), 4, FOREVER).orElseThrow(),
                        StandardCharsets.UTF_8));
                record.add(refusal(() -> sys.pipeRead(pipe.readEnd(), 4, FOREVER)));
            });
            assertEquals(List.of("x", "EBADF: handle 0: no such handle in process 2's table"), seen);
        }
    }

    private static boolean mainBlocked(ProcOnMachine kernel, int pid) {
        return kernel.status(pid).orElseThrow().threads().stream().anyMatch(thread -> thread.name().endsWith("main")
                && thread.state() == org.astralisp.kernel.api.sched.KernelThread.State.BLOCKED);
    }
}

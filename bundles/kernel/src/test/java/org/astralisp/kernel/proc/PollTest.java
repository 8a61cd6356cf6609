package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.astralisp.kernel.api.syscall.PollRequest.readable;
import static org.astralisp.kernel.api.syscall.PollRequest.writable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.PipeHandles;
import org.astralisp.kernel.api.syscall.PollRequest;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The poll system call: readiness of channels and pipe ends, waking, timeouts, signals, every refusal. */
@Timeout(60)
class PollTest {

    static final Duration FOREVER = SystemCalls.FOREVER;

    @Test
    void aPollOverAChannelAndAPipeWakesForWhicheverAnotherProcessMakesReady() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(4);
                PipeHandles pipe = sys.pipeCreate(16);
                List<PollRequest> both = List.of(readable(channel), readable(pipe.readEnd()));
                // the child writes to the pipe, waits for the parent's answer, then sends on the channel
                int child = sys.spawn(kernel.image((s, a) -> {
                    s.pipeWrite(1, new byte[] {1}, FOREVER);
                    s.receive(0, FOREVER);
                    s.send(0, new byte[] {2}, new int[0], FOREVER);
                    return 0;
                }), List.of(), new int[] {channel, pipe.writeEnd()});
                record.add(sys.poll(both, FOREVER));
                sys.pipeRead(pipe.readEnd(), 1, FOREVER);
                sys.send(channel, new byte[] {0}, new int[0], FOREVER);
                sys.wait(child, false); // the child took the answer and sent its own
                record.add(sys.poll(both, FOREVER));
                sys.pipeWrite(pipe.writeEnd(), new byte[] {3}, FOREVER);
                record.add(sys.poll(both, Duration.ZERO));
            });
            assertEquals(List.of(List.of(readable(1)), List.of(readable(0)), List.of(readable(0), readable(1))),
                    seen);
        }
    }

    @Test
    void writabilityTheEndsAndTimeouts() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicLong waited = new AtomicLong();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(1);
                PipeHandles pipe = sys.pipeCreate(2);
                List<PollRequest> writes = List.of(writable(channel), writable(pipe.writeEnd()));
                record.add(sys.poll(writes, Duration.ZERO));
                sys.send(channel, new byte[0], new int[0], FOREVER);
                sys.pipeWrite(pipe.writeEnd(), new byte[2], FOREVER);
                record.add(sys.poll(writes, Duration.ZERO)); // both full
                long start = kernel.timers.now();
                record.add(sys.poll(writes, Duration.ofMillis(20)));
                waited.set(kernel.timers.now() - start);
                record.add(sys.poll(List.of(), Duration.ofMillis(1)));
                sys.channelClose(channel);
                record.add(sys.poll(writes, Duration.ZERO)); // a send would fail at once
                sys.pipeRead(pipe.readEnd(), 2, FOREVER);
                record.add(sys.poll(List.of(readable(pipe.readEnd())), Duration.ZERO));
                sys.close(pipe.writeEnd());
                record.add(sys.poll(List.of(readable(pipe.readEnd())), Duration.ZERO)); // end of file
                PipeHandles second = sys.pipeCreate(1);
                sys.pipeWrite(second.writeEnd(), new byte[1], FOREVER);
                sys.close(second.readEnd());
                record.add(sys.poll(List.of(writable(second.writeEnd())), Duration.ZERO)); // would be EPIPE
            });
            // handles: the channel 0, the pipe's ends 1 and 2; the second pipe's ends 2 and 3 (2 was free again)
            assertEquals(List.of(List.of(writable(0), writable(2)), List.of(), List.of(), List.of(),
                    List.of(writable(0)), List.of(), List.of(readable(1)), List.of(writable(3))), seen);
            assertTrue(waited.get() >= Duration.ofMillis(20).toNanos(), "the timed poll returned after "
                    + Duration.ofNanos(waited.get()) + ", before its 20 ms");
        }
    }

    @Test
    void everyBadPollIsRefused() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(1);
                PipeHandles pipe = sys.pipeCreate(2);
                int memory = sys.createSharedMemory(page);
                int process = sys.openProcess(sys.getpid());
                record.add(refusal(() -> sys.poll(null, FOREVER)));
                record.add(refusal(() -> sys.poll(Collections.nCopies(SystemCalls.MAX_POLL_REQUESTS + 1,
                        readable(channel)), FOREVER)));
                List<PollRequest> withNull = new ArrayList<>();
                withNull.add(null);
                record.add(refusal(() -> sys.poll(withNull, FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(new PollRequest(channel, null)), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(readable(channel), readable(9)), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(readable(memory)), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(writable(process)), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(readable(pipe.writeEnd())), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(writable(pipe.readEnd())), FOREVER)));
                record.add(refusal(() -> sys.poll(List.of(readable(channel)), Duration.ofMillis(-1))));
                sys.revoke(channel);
                record.add(refusal(() -> sys.poll(List.of(readable(channel)), FOREVER)));
            });
            assertEquals(List.of("EFAULT: poll: requests is null",
                    "EINVAL: poll: 1025 requests, more than 1024",
                    "EINVAL: poll: a request is null",
                    "EINVAL: poll: the event of handle 0 is null",
                    "EBADF: handle 9: no such handle in process 2's table",
                    "EINVAL: poll: handle 3 of process 2 names shared memory of " + page + " bytes, which cannot be "
                            + "polled for READABLE",
                    "EINVAL: poll: handle 4 of process 2 names process 2, which cannot be polled for WRITABLE",
                    "EINVAL: poll: handle 2 of process 2 names the write end of pipe of process 2 (2 bytes), which "
                            + "cannot be polled for READABLE",
                    "EINVAL: poll: handle 1 of process 2 names the read end of pipe of process 2 (2 bytes), which "
                            + "cannot be polled for WRITABLE",
                    "EINVAL: poll: timeout PT-0.001S is not a duration of zero or more",
                    "EIO: handle 0 of process 2 names channel of process 2 (capacity 1), which was revoked"), seen);
        }
    }

    @Test
    void aBlockedPollEndsWithEintrWhenAHandlerRunsAndWithTheProcessOnTerm() throws Exception {
        SignalsTest.assertInterruptedByAHandlerThenKilled("poll", sys -> {
            PipeHandles pipe = sys.pipeCreate(1);
            List<PollRequest> nothingComes = List.of(readable(pipe.readEnd()));
            return () -> sys.poll(nothingComes, FOREVER);
        });
    }
}

package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.syscall.ReceivedMessage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The channel system calls: messages, handle passing between processes, timeouts, signals, every refusal. */
@Timeout(60)
class ChannelCallsTest {

    static final Duration FOREVER = SystemCalls.FOREVER;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ReceivedMessage message) {
        return new String(message.data(), StandardCharsets.UTF_8);
    }

    @Test
    void aHandleSentOverAChannelMovesIntoTheReceiversTable() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            AtomicReference<List<Object>> childSaw = new AtomicReference<>();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(4);
                int child = sys.spawn(kernel.image((s, a) -> {
                    ReceivedMessage message = s.receive(0, FOREVER).orElseThrow();
                    int memory = message.handles()[0];
                    s.mapShared(memory, 0x80_0000, page, 0);
                    childSaw.set(List.of(text(message), message.handles().length, s.handleType(memory),
                            new String(s.read(0x80_0000, 5), StandardCharsets.UTF_8)));
                    return 0;
                }), List.of(), new int[] {channel});
                int memory = sys.createSharedMemory(page);
                sys.mapShared(memory, 0x40_0000, page, 0);
                sys.write(0x40_0000, bytes("shared"));
                sys.send(channel, bytes("take this"), new int[] {memory}, FOREVER);
                record.add(refusal(() -> sys.handleType(memory)));
                record.add(sys.wait(child, false).orElseThrow().status());
            });
            assertEquals(List.of("take this", 1, HandleType.SHARED_MEMORY, "share"), childSaw.get());
            assertEquals(List.of("EBADF: handle 1: no such handle in process 2's table", ExitStatus.exited(0)), seen,
                    "the sender's handle went with the message");
        }
    }

    @Test
    void everyBadSendIsRefusedAndKeepsTheSendersHandles() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int channel = sys.channelCreate(1);
                int memory = sys.createSharedMemory(page);
                record.add(refusal(() -> sys.send(memory, bytes("x"), new int[0], FOREVER)));
                record.add(refusal(() -> sys.send(channel, new byte[SystemCalls.MAX_MESSAGE_BYTES + 1], new int[0],
                        FOREVER)));
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[SystemCalls.MAX_MESSAGE_HANDLES + 1],
                        FOREVER)));
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[] {memory, 9}, FOREVER)));
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[] {channel}, FOREVER)));
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[0], Duration.ofMillis(-1))));
                record.add(refusal(() -> sys.channelCreate(0)));
                record.add(sys.handleType(memory));
                sys.send(channel, bytes("fills it"), new int[0], Duration.ZERO);
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[] {memory}, Duration.ZERO)));
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[] {memory}, Duration.ofMillis(20))));
                record.add(sys.handleType(memory));
                sys.channelClose(channel);
                record.add(refusal(() -> sys.send(channel, bytes("x"), new int[0], FOREVER)));
                record.add(text(sys.receive(channel, FOREVER).orElseThrow()));
                record.add(sys.receive(channel, FOREVER));
            });
            String describe = "channel of process 2 (capacity 1)";
            assertEquals(List.of(
                    "EINVAL: handle 1 of process 2 names shared memory of " + page + " bytes, not a CHANNEL handle",
                    "EMSGSIZE: send: 65537 bytes, more than 65536",
                    "EINVAL: send: 65 handles, more than 64",
                    "EBADF: handle 9: no such handle in process 2's table",
                    "EINVAL: send: handle 0 is the channel it is sent over (the channel would hold itself and never "
                            + "be released)",
                    "EINVAL: send: timeout PT-0.001S is not a duration of zero or more",
                    "EINVAL: channelCreate: capacity 0 is outside 1..4096",
                    HandleType.SHARED_MEMORY,
                    "EAGAIN: send on " + describe + ": it would wait",
                    "ETIMEDOUT: send on " + describe + ": timed out after PT0.02S",
                    HandleType.SHARED_MEMORY,
                    "EPIPE: send: " + describe + " is closed",
                    "fills it", Optional.empty()), seen);
            assertEquals(0, kernel.table.process(org.astralisp.kernel.api.proc.ProcessTable.INIT).handles.count(), "init holds nothing");
        }
    }

    @Test
    void aReceiverWithoutRoomGetsEmfileAndTheMessageWaitsForIt() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT.withHandles(3), (sys, record) -> {
                int channel = sys.channelCreate(2);
                int first = sys.createSharedMemory(page);
                int second = sys.createSharedMemory(page);
                sys.send(channel, bytes("two handles"), new int[] {first, second}, FOREVER);
                int filler = sys.createSharedMemory(page);
                sys.createSharedMemory(page);
                record.add(refusal(() -> sys.receive(channel, Duration.ZERO)));
                sys.close(filler);
                record.add(refusal(() -> sys.receive(channel, Duration.ZERO)));
                sys.close(filler + 1);
                ReceivedMessage message = sys.receive(channel, Duration.ZERO).orElseThrow();
                record.add(text(message));
                record.add(message.handles().length);
            });
            assertEquals(List.of("EMFILE: process 2 holds 3 handles of its limit of 3; 2 more do not fit",
                    "EMFILE: process 2 holds 2 handles of its limit of 3; 2 more do not fit", "two handles", 2), seen);
        }
    }

    @Test
    void aBlockedReceiveEndsWithEintrWhenAHandlerRunsAndWithTheProcessOnTerm() throws Exception {
        SignalsTest.assertInterruptedByAHandlerThenKilled("receive", sys -> {
            int channel = sys.channelCreate(1);
            return () -> sys.receive(channel, FOREVER);
        });
    }

    @Test
    void sleepRefusesNegativeDurationsAndAHandlerInterruptsIt() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<List<String>> seen = new AtomicReference<>();
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean longSleep = new java.util.concurrent.atomic.AtomicBoolean();
            int pid = SignalsTest.spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.sigaction(Signal.ALRM, SignalDisposition.handler(signal -> { }));
                sys.sleep(Duration.ZERO);
                sys.sleep(Duration.ofMillis(1));
                String negative = refusal(() -> sys.sleep(Duration.ofSeconds(-1)));
                longSleep.set(true);
                String interrupted = refusal(() -> sys.sleep(Duration.ofDays(1)));
                seen.set(List.of(negative, interrupted));
                return 0;
            }), status);
            eventually("the sleeper blocks in its long sleep", () -> longSleep.get()
                    && kernel.state(pid) == ProcessState.SLEEPING);
            kernel.table.kill(pid, Signal.ALRM);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(List.of("EINVAL: sleep: timeout PT-1S is not a duration of zero or more",
                    "EINTR: sleep of process " + pid + " interrupted by a signal handler"), seen.get());
        }
    }
}

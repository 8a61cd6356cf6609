package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.ipc.ChannelClosedException;
import org.astralisp.kernel.api.ipc.EndOfChannelException;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Channel}: order, capacity, blocking both ways, close, timeouts, and bad input. */
@Timeout(60)
class ChannelTest {

    @Test
    void messagesArriveInOrderAndTheNonBlockingCallsReportFullAndEmpty() {
        Channel<String> channel = new Channel<>("c", 2);
        assertNull(channel.tryReceive(), "empty");
        assertTrue(channel.trySend("a"));
        assertTrue(channel.trySend("b"));
        assertFalse(channel.trySend("c"), "full at its capacity");
        assertEquals(2, channel.size());
        assertEquals("a", channel.tryReceive());
        assertTrue(channel.trySend("c"));
        assertEquals("b", channel.tryReceive());
        assertEquals("c", channel.tryReceive());
        assertNull(channel.tryReceive());
        assertEquals(2, channel.capacity());
        assertEquals("c", channel.name());
        assertEquals("channel c", channel.toString());
    }

    @Test
    void aSenderWaitsWhileFullAndAReceiverWhileEmptyHoldingNoVcpu() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Channel<Integer> channel = new Channel<>("c", 1);
            KernelThread sender = kernel.start(0, "sender", () -> {
                channel.send(1);
                channel.send(2); // full: waits
            });
            eventually("the sender waits on the full channel", () -> sender.state() == State.BLOCKED);
            assertEquals(1, channel.tryReceive());
            awaitEnd(sender);
            assertEquals(2, channel.tryReceive());
            AtomicReference<Integer> received = new AtomicReference<>();
            KernelThread receiver = kernel.start(0, "receiver", () -> received.set(channel.receive()));
            eventually("the receiver waits on the empty channel", () -> receiver.state() == State.BLOCKED);
            assertTrue(channel.trySend(3), "a host thread may send without waiting");
            awaitEnd(receiver);
            assertEquals(3, received.get());
        }
    }

    @Test
    void afterCloseReceiversDrainThenSeeTheEndAndSendsAreRefused() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<String> channel = new Channel<>("c", 4);
            channel.trySend("x");
            channel.trySend("y");
            assertTrue(channel.close());
            assertFalse(channel.close(), "closed already");
            assertTrue(channel.isClosed());
            assertEquals("channel c is closed: send refused",
                    assertThrows(ChannelClosedException.class, () -> channel.trySend("z")).getMessage());
            OnKernelThread.run(kernel, 0, "drainer", () -> {
                assertThrows(ChannelClosedException.class, () -> channel.send("z"));
                assertThrows(ChannelClosedException.class, () -> channel.send("z", Duration.ofMillis(1)));
                assertEquals("x", channel.receive());
                assertEquals("y", channel.receive(Duration.ofSeconds(1)));
                assertEquals("channel c is closed and drained: end of channel",
                        assertThrows(EndOfChannelException.class, channel::receive).getMessage());
                assertThrows(EndOfChannelException.class, () -> channel.receive(Duration.ofSeconds(1)));
            });
            assertThrows(EndOfChannelException.class, channel::tryReceive);
        }
    }

    @Test
    void closeWakesWaitingSendersToBeRefusedAndWaitingReceiversToSeeTheEnd() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<Integer> full = new Channel<>("full", 1);
            full.trySend(0);
            Channel<Integer> empty = new Channel<>("empty", 1);
            AtomicReference<Throwable> senderSaw = new AtomicReference<>();
            AtomicReference<Throwable> receiverSaw = new AtomicReference<>();
            KernelThread sender = kernel.start(0, "sender", () -> {
                try {
                    full.send(1);
                } catch (ChannelClosedException e) {
                    senderSaw.set(e);
                }
            });
            KernelThread receiver = kernel.start(1, "receiver", () -> {
                try {
                    empty.receive();
                } catch (EndOfChannelException e) {
                    receiverSaw.set(e);
                }
            });
            eventually("both wait", () -> sender.state() == State.BLOCKED && receiver.state() == State.BLOCKED);
            full.close();
            empty.close();
            awaitEnd(sender);
            awaitEnd(receiver);
            assertInstanceOf(ChannelClosedException.class, senderSaw.get());
            assertInstanceOf(EndOfChannelException.class, receiverSaw.get());
            assertEquals(0, full.tryReceive(), "the message queued before the close is still received");
        }
    }

    @Test
    void timedCallsGiveUpAfterTheirTimeoutAndSucceedWhenTheOtherSideComesInTime() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            Channel<Integer> channel = new Channel<>("c", 1);
            AtomicLong waited = new AtomicLong();
            OnKernelThread.run(kernel, 0, "timed", () -> {
                long start = timers.now();
                assertNull(channel.receive(Duration.ofMillis(20)), "nothing came");
                waited.set(timers.now() - start);
                assertNull(channel.receive(Duration.ZERO));
                assertTrue(channel.send(1, Duration.ZERO));
                assertFalse(channel.send(2, Duration.ofMillis(5)), "full");
                assertEquals(1, channel.size(), "the refused message was not queued");
                kernel.start(1, "late sender", () -> {
                    KernelThread.sleep(Duration.ofMillis(5));
                    channel.send(3);
                });
                assertEquals(1, channel.receive(Duration.ofSeconds(10)));
                assertEquals(3, channel.receive(Duration.ofSeconds(10)));
            });
            assertTrue(waited.get() >= 20_000_000L, "receive gave up after " + waited.get() + " ns");
        }
    }

    @Test
    void badInputIsRefusedWithTheChannelNamed() {
        assertEquals("channel c: capacity 0 is not positive",
                assertThrows(IllegalArgumentException.class, () -> new Channel<>("c", 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Channel<>("c", -3));
        Channel<String> channel = new Channel<>("c", 1);
        assertEquals("channel c: a message is never null",
                assertThrows(NullPointerException.class, () -> channel.trySend(null)).getMessage());
        assertEquals("channel c: receive: timeout PT-1S is negative", assertThrows(IllegalArgumentException.class,
                () -> channel.receive(Duration.ofSeconds(-1))).getMessage());
        assertEquals("channel c: send: timeout PT-1S is negative", assertThrows(IllegalArgumentException.class,
                () -> channel.send("m", Duration.ofSeconds(-1))).getMessage());
        assertEquals(0, channel.size(), "nothing was queued by a refused call");
        assertTrue(assertThrows(IllegalStateException.class, channel::receive).getMessage()
                .contains("not a kernel thread"), "a host thread cannot wait on an empty channel");
    }

    @Test
    void manyProducersAndConsumersOnTwoVcpusDeliverEveryMessageOnce() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<Long> channel = new Channel<>("mpmc", 8);
            int producers = 4;
            int perProducer = 25_000;
            AtomicLong sum = new AtomicLong();
            AtomicLong count = new AtomicLong();
            List<KernelThread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long base = (long) p * perProducer;
                threads.add(kernel.start(p % 2, "producer" + p, () -> {
                    for (long i = 0; i < perProducer; i++) {
                        channel.send(base + i);
                    }
                }));
            }
            List<KernelThread> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(kernel.start(c % 2, "consumer" + c, () -> {
                    try {
                        while (true) {
                            sum.addAndGet(channel.receive());
                            count.incrementAndGet();
                        }
                    } catch (EndOfChannelException end) {
                        // every message received
                    }
                }));
            }
            for (KernelThread producer : threads) {
                awaitEnd(producer);
                OnKernelThread.ended(producer);
            }
            channel.close();
            for (KernelThread consumer : consumers) {
                awaitEnd(consumer);
                OnKernelThread.ended(consumer);
            }
            long n = (long) producers * perProducer;
            assertEquals(n, count.get());
            assertEquals(n * (n - 1) / 2, sum.get());
        }
    }
}

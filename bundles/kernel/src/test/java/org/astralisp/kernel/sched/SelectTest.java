package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.ipc.ChannelClosedException;
import org.astralisp.kernel.api.ipc.Select;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Select} over channels: the ready case, waiting for the first, timeouts, fairness, ended channels. */
@Timeout(60)
class SelectTest {

    @Test
    void pollCompletesTheReadyCaseOnlyAndNoneWhenNothingIsReady() {
        Channel<String> a = new Channel<>("a", 1);
        Channel<String> b = new Channel<>("b", 1);
        Channel<String> out = new Channel<>("out", 1);
        out.trySend("occupied");
        Select select = new Select();
        Select.Receive<String> fromA = select.receive(a);
        Select.Receive<String> fromB = select.receive(b);
        Select.Send<String> toOut = select.send(out, "reply");
        assertNull(select.poll(), "a and b are empty, out is full");
        b.trySend("hello");
        assertSame(fromB, select.poll());
        assertEquals("hello", fromB.message());
        assertFalse(fromB.ended());
        assertEquals(1, fromB.index());
        assertEquals(0, b.size());
        assertEquals(0, a.size(), "a untouched");
        out.tryReceive();
        assertSame(toOut, select.poll());
        assertEquals("reply", out.tryReceive());
        assertEquals(0, fromA.index());
    }

    @Test
    void aSelectWaitsHoldingNoVcpuForTheFirstChannelThatGetsAMessageFromAnotherCpu() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<Integer> a = new Channel<>("a", 1);
            Channel<Integer> b = new Channel<>("b", 1);
            AtomicReference<String> got = new AtomicReference<>();
            KernelThread selector = kernel.start(0, "selector", () -> {
                Select select = new Select();
                Select.Receive<Integer> fromA = select.receive(a);
                Select.Receive<Integer> fromB = select.receive(b);
                Select.Case done = select.await();
                got.set((done == fromA ? "a" : "b") + "=" + (done == fromA ? fromA.message() : fromB.message()));
            });
            eventually("the selector waits", () -> selector.state() == State.BLOCKED);
            OnKernelThread.run(kernel, 1, "sender", () -> b.send(7));
            awaitEnd(selector);
            OnKernelThread.ended(selector);
            assertEquals("b=7", got.get());
            assertEquals(0, a.size());
        }
    }

    @Test
    void aTimedSelectGivesUpWithNullAndASendCaseWaitsForRoom() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            Channel<Integer> in = new Channel<>("in", 1);
            Channel<Integer> out = new Channel<>("out", 1);
            out.trySend(0);
            AtomicLong waited = new AtomicLong();
            OnKernelThread.run(kernel, 0, "selector", () -> {
                Select select = new Select();
                select.receive(in);
                Select.Send<Integer> toOut = select.send(out, 1);
                long start = timers.now();
                assertNull(select.await(Duration.ofMillis(20)));
                waited.set(timers.now() - start);
                assertNull(select.await(Duration.ZERO));
                kernel.start(1, "drainer", () -> {
                    KernelThread.sleep(Duration.ofMillis(5));
                    out.receive();
                });
                assertSame(toOut, select.await(Duration.ofSeconds(10)));
                assertEquals("select: await: timeout PT-1S is negative", assertThrows(
                        IllegalArgumentException.class, () -> select.await(Duration.ofSeconds(-1))).getMessage());
            });
            assertTrue(waited.get() >= 20_000_000L, "gave up after " + waited.get() + " ns");
            assertEquals(1, out.tryReceive());
        }
    }

    @Test
    void aReadyChannelDoesNotStarveAnotherReadyOne() {
        Channel<Integer> a = new Channel<>("a", 100);
        Channel<Integer> b = new Channel<>("b", 100);
        for (int i = 0; i < 100; i++) {
            a.trySend(i);
            b.trySend(i);
        }
        Select select = new Select();
        Select.Receive<Integer> fromA = select.receive(a);
        int fromAcount = 0;
        select.receive(b);
        for (int i = 0; i < 100; i++) {
            if (select.poll() == fromA) {
                fromAcount++;
            }
        }
        assertEquals(50, fromAcount, "both always ready: the cases take turns");
    }

    @Test
    void anEndedChannelCompletesItsReceiveCaseAndAClosedOneFailsASendCase() {
        Channel<Integer> ended = new Channel<>("ended", 1);
        ended.close();
        Select select = new Select();
        Select.Receive<Integer> fromEnded = select.receive(ended);
        assertSame(fromEnded, select.poll());
        assertTrue(fromEnded.ended());
        assertNull(fromEnded.message());

        Select sending = new Select();
        sending.send(ended, 1);
        assertEquals("channel ended is closed: send refused",
                assertThrows(ChannelClosedException.class, sending::poll).getMessage());
        assertEquals("select has no case: it could never complete",
                assertThrows(IllegalStateException.class, () -> new Select().poll()).getMessage());
        assertThrows(NullPointerException.class, () -> new Select().send(ended, null));
    }

    @Test
    void aSelectingConsumerReceivesEveryMessageOfTwoProducersOnTwoVcpus() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<Long> a = new Channel<>("a", 4);
            Channel<Long> b = new Channel<>("b", 4);
            int each = 20_000;
            long[] sums = new long[2];
            KernelThread consumer = kernel.start(1, "consumer", () -> {
                Select select = new Select();
                Select.Receive<Long> fromA = select.receive(a);
                Select.Receive<Long> fromB = select.receive(b);
                int open = 2;
                while (open > 0) {
                    Select.Receive<?> done = (Select.Receive<?>) select.await();
                    if (done.ended()) {
                        open--;
                        select = new Select();
                        if (done == fromA) {
                            fromB = select.receive(b);
                            fromA = null;
                        } else {
                            fromA = select.receive(a);
                            fromB = null;
                        }
                        continue;
                    }
                    sums[done == fromA ? 0 : 1] += (Long) done.message();
                }
            });
            KernelThread producerA = kernel.start(0, "producer a", () -> {
                for (long i = 0; i < each; i++) {
                    a.send(i);
                }
                a.close();
            });
            KernelThread producerB = kernel.start(1, "producer b", () -> {
                for (long i = 0; i < each; i++) {
                    b.send(i);
                }
                b.close();
            });
            awaitEnd(producerA);
            awaitEnd(producerB);
            awaitEnd(consumer);
            OnKernelThread.ended(consumer);
            long expected = (long) each * (each - 1) / 2;
            assertEquals(expected, sums[0]);
            assertEquals(expected, sums[1]);
        }
    }
}

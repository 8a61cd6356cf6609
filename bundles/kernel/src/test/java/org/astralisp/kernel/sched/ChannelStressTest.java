package org.astralisp.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.ipc.EndOfChannelException;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's stress: 10^6 messages through a small channel between a producer
 * on vCPU 0 and a consumer on vCPU 1; a lost wake-up would leave one side
 * blocked for ever, so both must end, bounded, with every message in order.
 */
@Timeout(180)
class ChannelStressTest {

    private static final int MESSAGES = 1_000_000;
    private static final Duration BOUND = Duration.ofSeconds(120);

    @ParameterizedTest
    @ValueSource(ints = {1, 16})
    void aMillionMessagesBetweenTwoVcpusArriveInOrderAndBothSidesEnd(int capacity) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Channel<Long> channel = new Channel<>("stress", capacity);
            AtomicLong received = new AtomicLong();
            AtomicLong outOfOrder = new AtomicLong();
            AtomicLong sawEnd = new AtomicLong();
            KernelThread consumer = kernel.start(1, "consumer", () -> {
                long expected = 0;
                try {
                    while (true) {
                        if (channel.receive() != expected++) {
                            outOfOrder.incrementAndGet();
                        }
                        received.incrementAndGet();
                    }
                } catch (EndOfChannelException end) {
                    sawEnd.incrementAndGet();
                }
            });
            KernelThread producer = kernel.start(0, "producer", () -> {
                for (long i = 0; i < MESSAGES; i++) {
                    channel.send(i);
                }
                channel.close();
            });
            assertTrue(producer.join(BOUND), "the producer did not end within " + BOUND.toSeconds() + " s: "
                    + producer + ", " + received.get() + " received, " + channel.size() + " queued");
            assertTrue(consumer.join(BOUND), "the consumer did not end within " + BOUND.toSeconds() + " s: "
                    + consumer + ", " + received.get() + " received");
            OnKernelThread.ended(producer);
            OnKernelThread.ended(consumer);
            assertEquals(MESSAGES, received.get());
            assertEquals(0, outOfOrder.get());
            assertEquals(1, sawEnd.get(), "the consumer saw the end of the channel");
        }
    }
}

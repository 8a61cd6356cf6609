package org.astralisp.boot.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuiescenceGateTest {

    private final QuiescenceGate gate = new QuiescenceGate("sample.key");

    @Test
    void callsPassWhileOpen() {
        assertEquals(42, gate.call(() -> 42));
        assertFalse(gate.isClosed());
    }

    @Test
    void closedGateRefusesCallsWithoutRunningThem() {
        gate.close(() -> HandoverState.builder("f", 1).build());
        AtomicLong runs = new AtomicLong();
        ServiceQuiescedException e = assertThrows(ServiceQuiescedException.class, () -> gate.call(runs::incrementAndGet));
        assertEquals(0, runs.get());
        assertTrue(e.getMessage().startsWith("sample.key is being handed over"), e.getMessage());
        assertTrue(gate.isClosed());
    }

    @Test
    void reopenedGateServesAgain() {
        gate.close(() -> HandoverState.builder("f", 1).build());
        gate.reopen();
        assertEquals("ok", gate.call(() -> "ok"));
    }

    @Test
    void closeWaitsForTheCallInFlightAndSnapshotsItsEffect() throws Exception {
        AtomicLong count = new AtomicLong();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> call = CompletableFuture.supplyAsync(() -> gate.call(() -> {
            inside.countDown();
            await(release);
            return count.incrementAndGet();
        }));
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        CompletableFuture<HandoverState> closing = CompletableFuture.supplyAsync(
                () -> gate.close(() -> HandoverState.builder("f", 1).putLong("count", count.get()).build()));
        Thread.sleep(100);
        assertFalse(closing.isDone(), "close must wait for the call in flight");
        release.countDown();
        assertEquals(1, call.get(5, TimeUnit.SECONDS));
        assertEquals(1, closing.get(5, TimeUnit.SECONDS).getLong("count"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

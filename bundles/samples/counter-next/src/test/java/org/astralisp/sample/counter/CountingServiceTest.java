package org.astralisp.sample.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.astralisp.boot.spi.HandoverException;
import org.astralisp.boot.spi.HandoverState;
import org.astralisp.boot.spi.ServiceQuiescedException;
import org.junit.jupiter.api.Test;

class CountingServiceTest {

    @Test
    void importsTheStateOfVersionOneAndCountsTheSwap() throws HandoverException {
        HandoverState fromV1 = HandoverState.builder("sample.counter", 1).putLong("count", 10).build();
        CountingService counter = new CountingService(key -> Optional.of(fromV1));
        assertEquals(11, counter.increment());
        assertEquals(11, counter.value());
        assertEquals("counter 2.0.0 (1 swap survived)", counter.implementation());
    }

    @Test
    void carriesTheSwapCountForward() throws HandoverException {
        HandoverState fromV2 = HandoverState.builder("sample.counter", 1).putLong("count", 3).putLong("swaps", 2).build();
        CountingService counter = new CountingService(key -> Optional.of(fromV2));
        assertEquals("counter 2.0.0 (3 swaps survived)", counter.implementation());
        HandoverState next = counter.quiesce();
        assertEquals(3, next.getLong("count"));
        assertEquals(3, next.getLong("swaps"));
        assertEquals("sample.counter", counter.handoverKey());
    }

    @Test
    void freshStartHasSurvivedNoSwap() throws HandoverException {
        CountingService counter = new CountingService(key -> Optional.empty());
        assertEquals("counter 2.0.0 (0 swaps survived)", counter.implementation());
        counter.quiesce();
        assertThrows(ServiceQuiescedException.class, counter::value);
        counter.resume();
        assertEquals(1, counter.increment());
    }

    @Test
    void refusesAStateOfANewerFormatVersion() {
        HandoverState future = HandoverState.builder("sample.counter", 2).putLong("count", 1).build();
        assertThrows(HandoverException.class, () -> new CountingService(key -> Optional.of(future)));
    }
}

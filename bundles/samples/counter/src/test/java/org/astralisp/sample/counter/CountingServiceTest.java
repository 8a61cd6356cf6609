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
    void startsAtZeroWhenNothingWasHandedOver() throws HandoverException {
        CountingService counter = new CountingService(key -> Optional.empty());
        assertEquals(1, counter.increment());
        assertEquals(2, counter.increment());
        assertEquals(2, counter.value());
        assertEquals("counter 1.0.0", counter.implementation());
    }

    @Test
    void continuesFromTheHandedOverCount() throws HandoverException {
        HandoverState state = HandoverState.builder("sample.counter", 1).putLong("count", 41).build();
        CountingService counter = new CountingService(key -> key.equals("sample.counter") ? Optional.of(state) : Optional.empty());
        assertEquals(42, counter.increment());
    }

    @Test
    void quiesceSnapshotsTheCountAndRefusesFurtherCalls() throws HandoverException {
        CountingService counter = new CountingService(key -> Optional.empty());
        counter.increment();
        HandoverState state = counter.quiesce();
        assertEquals(1, state.getLong("count"));
        assertEquals("sample.counter", counter.handoverKey());
        assertThrows(ServiceQuiescedException.class, counter::increment);
        counter.resume();
        assertEquals(2, counter.increment());
    }

    @Test
    void refusesAStateOfAnUnknownFormat() {
        HandoverState alien = HandoverState.builder("other.thing", 1).putLong("count", 1).build();
        assertThrows(HandoverException.class, () -> new CountingService(key -> Optional.of(alien)));
    }
}

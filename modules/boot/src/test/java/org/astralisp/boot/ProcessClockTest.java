package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcessClockTest {

    @Test
    void ageIsUptimeMinusTheStartTicks() {
        // Field 22 (starttime) is 123456 ticks = 1234.56 s after boot; the command name contains ") (".
        String stat = "4242 (java) (x) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 30 0 123456 1 1 18446744073709551615";
        assertEquals(Duration.ofMillis(1500), ProcessClock.age(stat, "1236.06 5000.00\n"));
    }

    @Test
    void aNegativeAgeFromRoundingIsZero() {
        String stat = "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 1 1";
        assertEquals(Duration.ZERO, ProcessClock.age(stat, "4.99 1.00"));
    }

    @Test
    void thisProcessStartedInThePast() {
        Instant start = ProcessClock.processStart();
        assertTrue(start.isBefore(Instant.now()));
        assertTrue(Duration.between(start, Instant.now()).toHours() < 24);
    }
}

package org.astralisp.hal.api.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimerTicksTest {

    @Test
    void roundsUpToWholeTicks() {
        assertEquals(1, TimerTicks.of(1, 10_000_000, 100));
        assertEquals(100, TimerTicks.of(10_000, 10_000_000, 100));
        assertEquals(101, TimerTicks.of(10_001, 10_000_000, 1000));
    }

    @Test
    void doesNotOverflowForLongIntervalsAtHighRates() {
        assertEquals(4_000_000_000_000_000_000L, TimerTicks.of(1_000_000_000_000_000_000L, 4_000_000_000L, Long.MAX_VALUE));
    }

    @Test
    void refusesNonPositiveAndTooLongIntervals() {
        assertThrows(IllegalArgumentException.class, () -> TimerTicks.of(0, 1000, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimerTicks.of(1_000_000_000L, 1000, 999));
        assertEquals("timer interval 1000000000 ns is 1000 ticks at 1000 Hz, beyond the timer's maximum of 999",
                e.getMessage());
    }

    @Test
    void convertsTicksToNanos() {
        assertEquals(1_500_000_000L, TimerTicks.toNanos(3_000_000_000L, 2_000_000_000L));
        assertEquals(Long.MAX_VALUE / 2_000_000_000L * 1_000_000_000L + 427_387_903L,
                TimerTicks.toNanos(Long.MAX_VALUE, 2_000_000_000L));
    }
}

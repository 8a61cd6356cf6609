package org.astralisp.machine.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TickClockTest {

    private static final long ORIGIN = 1_000_000L;

    @Test
    void readsZeroAtAndBeforeItsOrigin() {
        TickClock clock = new TickClock(10_000_000, ORIGIN);
        assertEquals(0, clock.ticksAt(ORIGIN));
        assertEquals(0, clock.ticksAt(ORIGIN - 5_000));
    }

    @Test
    void countsAtItsFrequency() {
        TickClock clock = new TickClock(10_000_000, ORIGIN);
        assertEquals(10_000_000, clock.ticksAt(ORIGIN + 1_000_000_000L));
        assertEquals(15, clock.ticksAt(ORIGIN + 1_500));
        assertEquals(14, clock.ticksAt(ORIGIN + 1_499));
    }

    @Test
    void doesNotOverflowAfterCenturiesAtFourGigahertz() {
        TickClock clock = new TickClock(TickClock.MAXIMUM_HERTZ, 0);
        long hundredYears = 100L * 365 * 24 * 3600 * 1_000_000_000L;
        assertEquals(100L * 365 * 24 * 3600 * TickClock.MAXIMUM_HERTZ, clock.ticksAt(hundredYears));
    }

    @Test
    void nanoTimeOfIsTheFirstInstantTheCountIsReached() {
        TickClock clock = new TickClock(3, ORIGIN);
        long at = clock.nanoTimeOf(1);
        assertEquals(1, clock.ticksAt(at));
        assertEquals(0, clock.ticksAt(at - 1));
        assertEquals(ORIGIN + 5_000_000_000L, clock.nanoTimeOf(15));
    }

    @Test
    void countsBeyondTheHostClockRangeAreUnreachable() {
        TickClock clock = new TickClock(10_000_000, ORIGIN);
        assertTrue(clock.reachable(1L << 50));
        assertFalse(clock.reachable(Long.MAX_VALUE));
        assertFalse(clock.reachable(-1));
        assertThrows(IllegalArgumentException.class, () -> clock.nanoTimeOf(Long.MAX_VALUE));
    }

    @Test
    void rejectsFrequenciesOutsideItsRange() {
        assertThrows(IllegalArgumentException.class, () -> new TickClock(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TickClock(TickClock.MAXIMUM_HERTZ + 1, 0));
    }

    @Test
    void startingNowReadsAboutZero() {
        TickClock clock = TickClock.startingNow(1_000);
        assertTrue(clock.ticksNow() < 1_000);
        assertEquals(1_000, clock.hertz());
    }
}

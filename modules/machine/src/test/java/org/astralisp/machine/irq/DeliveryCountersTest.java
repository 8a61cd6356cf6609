package org.astralisp.machine.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeliveryCountersTest {

    @Test
    void countsPerCpuAndInterrupt() {
        DeliveryCounters counters = new DeliveryCounters(2, 8);
        counters.increment(1, 7);
        counters.increment(1, 7);
        counters.increment(0, 7);
        assertEquals(2, counters.count(1, 7));
        assertEquals(1, counters.count(0, 7));
        assertEquals(0, counters.count(1, 6));
        assertEquals(2, counters.cpus());
        assertEquals(8, counters.interrupts());
    }

    @Test
    void rejectsACounterOutsideItsRange() {
        DeliveryCounters counters = new DeliveryCounters(2, 8);
        assertThrows(IndexOutOfBoundsException.class, () -> counters.count(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> counters.increment(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryCounters(0, 8));
    }
}

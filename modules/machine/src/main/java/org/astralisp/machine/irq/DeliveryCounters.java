package org.astralisp.machine.irq;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many interrupts each CPU took from each interrupt number (a vector, a PLIC source, a
 * XIVE source): counted where the CPU takes the interrupt from the controller (the APIC's
 * acknowledge, the PLIC claim, the XIVE acknowledge), for the monitor's {@code interrupts}.
 * Lock-free; each count is exact, a snapshot of several is not atomic.
 */
public final class DeliveryCounters {

    private final int cpus;
    private final int interrupts;
    private final AtomicLongArray counts;

    public DeliveryCounters(int cpus, int interrupts) {
        if (cpus < 1 || interrupts < 1) {
            throw new IllegalArgumentException("counters for " + cpus + " CPUs and " + interrupts + " interrupts");
        }
        this.cpus = cpus;
        this.interrupts = interrupts;
        this.counts = new AtomicLongArray(Math.multiplyExact(cpus, interrupts));
    }

    public int cpus() {
        return cpus;
    }

    public int interrupts() {
        return interrupts;
    }

    public void increment(int cpu, int interrupt) {
        counts.incrementAndGet(index(cpu, interrupt));
    }

    public long count(int cpu, int interrupt) {
        return counts.get(index(cpu, interrupt));
    }

    private int index(int cpu, int interrupt) {
        if (cpu < 0 || cpu >= cpus || interrupt < 0 || interrupt >= interrupts) {
            throw new IndexOutOfBoundsException("no counter for CPU " + cpu + ", interrupt " + interrupt
                    + " (" + cpus + " CPUs, " + interrupts + " interrupts)");
        }
        return cpu * interrupts + interrupt;
    }
}

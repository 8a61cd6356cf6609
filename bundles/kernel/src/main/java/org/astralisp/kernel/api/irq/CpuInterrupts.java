package org.astralisp.kernel.api.irq;

/**
 * The per-CPU side of the interrupt framework, registered as a service next to
 * {@link InterruptManager} (the same object): each CPU's priority threshold and
 * the timer-interrupt listeners.
 */
public interface CpuInterrupts {

    /**
     * Delivers to {@code cpu} only device lines whose priority is above
     * {@code threshold} ({@code 0..maxPriority()}, 0 lets every line through;
     * timer interrupts and IPIs are never held back). Runs on {@code cpu}
     * itself, through a cross call when called elsewhere; returns once it is in
     * force.
     *
     * @throws IllegalArgumentException naming the CPU or threshold out of range
     * @throws CpuStoppedException if the framework is not running on {@code cpu}
     */
    void setThreshold(int cpu, int threshold);

    /** The threshold last set on {@code cpu} (0 after the CPU is started). */
    int threshold(int cpu);

    /** Calls {@code listener} on every timer interrupt of every CPU from now on. */
    void addTickListener(TickListener listener);

    /** Stops calling {@code listener}; nothing if it was not added. */
    void removeTickListener(TickListener listener);
}

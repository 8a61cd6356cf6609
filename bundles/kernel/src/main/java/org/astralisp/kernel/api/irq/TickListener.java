package org.astralisp.kernel.api.irq;

/**
 * Told of each timer interrupt: the scheduler's hook (ARCHITECTURE §4, "the
 * timer interrupt marks the vCPU needs-resched"). Called on the interrupted
 * CPU, in interrupt context (interrupts disabled, before the EOI), after the
 * HAL {@link org.astralisp.hal.api.irq.Timer#expired()} said an armed deadline
 * passed: it must not block. It arms the next deadline itself through that
 * CPU's {@code Timer} service ({@code oneShot}/{@code periodic} on the timer's
 * own CPU, which this is).
 */
@FunctionalInterface
public interface TickListener {

    /** A deadline of {@code cpu}'s timer passed. */
    void tick(int cpu);
}

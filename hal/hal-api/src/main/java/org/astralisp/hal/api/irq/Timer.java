package org.astralisp.hal.api.irq;

/**
 * One CPU's timer (APIC timer, CLINT {@code mtimecmp}, decrementer). It raises
 * an interrupt that the {@link InterruptController} claims as
 * {@link InterruptKind#TIMER} on that CPU. Arming replaces any earlier
 * deadline. Programming methods are called on the timer's own CPU.
 */
public interface Timer {

    /** The CPU this timer interrupts. */
    int cpu();

    /** The rate at which the timer counts, in Hz: its resolution. */
    long frequency();

    /** Nanoseconds of a clock common to all CPUs that never goes backwards (TSC, {@code mtime}, time base). */
    long now();

    /**
     * One interrupt, {@code nanos} from now (rounded up to whole ticks, at least one).
     *
     * @throws IllegalArgumentException if {@code nanos} is not positive or beyond what the timer can count
     */
    void oneShot(long nanos);

    /** An interrupt every {@code nanos}, the first {@code nanos} from now, without drift. */
    void periodic(long nanos);

    /** Disarms: no timer interrupt until armed again. */
    void cancel();

    /**
     * Called by the timer interrupt's handler, before {@link InterruptController#complete}:
     * clears the expiry where the hardware keeps it asserted, and re-arms a
     * periodic timer where the hardware does not reload itself.
     *
     * @return whether a deadline that was armed has passed; false for an
     *         interrupt of a timer that cannot be stopped (the decrementer
     *         wrapping while disarmed), which the handler then ignores
     */
    boolean expired();
}

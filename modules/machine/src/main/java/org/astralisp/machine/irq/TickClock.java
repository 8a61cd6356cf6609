package org.astralisp.machine.irq;

/**
 * A free-running counter at a fixed frequency, read from {@link System#nanoTime()}: the x86
 * bus clock and TSC, the RISC-V {@code mtime}, the PowerPC time base.
 *
 * <p>The counter reads 0 at its origin and {@code floor(elapsed * hertz / 10^9)} after it.
 * Arithmetic is split into whole seconds and the remainder so that nothing overflows for
 * frequencies up to {@link #MAXIMUM_HERTZ} and elapsed times up to the range of
 * {@code nanoTime} differences (about 292 years). Immutable; thread-safe.
 */
public final class TickClock {

    /** The highest frequency the overflow argument above holds for. */
    public static final long MAXIMUM_HERTZ = 4_000_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Deadlines further than this from the origin are never reached ({@link #reachable}). */
    private static final long MAXIMUM_SECONDS = (Long.MAX_VALUE / 2) / NANOS_PER_SECOND;

    private final long hertz;
    private final long origin;

    /**
     * A counter at {@code hertz} that reads 0 at {@code originNanoTime}.
     *
     * @throws IllegalArgumentException if {@code hertz} is not in {@code 1..MAXIMUM_HERTZ}
     */
    public TickClock(long hertz, long originNanoTime) {
        if (hertz < 1 || hertz > MAXIMUM_HERTZ) {
            throw new IllegalArgumentException("clock frequency " + hertz + " Hz is not in 1.." + MAXIMUM_HERTZ);
        }
        this.hertz = hertz;
        this.origin = originNanoTime;
    }

    /** A counter at {@code hertz} that reads 0 now. */
    public static TickClock startingNow(long hertz) {
        return new TickClock(hertz, System.nanoTime());
    }

    public long hertz() {
        return hertz;
    }

    /** The count at {@code nanoTime}; 0 before the origin. */
    public long ticksAt(long nanoTime) {
        long elapsed = nanoTime - origin;
        if (elapsed <= 0) {
            return 0;
        }
        return (elapsed / NANOS_PER_SECOND) * hertz + (elapsed % NANOS_PER_SECOND) * hertz / NANOS_PER_SECOND;
    }

    /** The count now. */
    public long ticksNow() {
        return ticksAt(System.nanoTime());
    }

    /** Whether the counter ever reaches {@code ticks} within the range of {@code nanoTime}. */
    public boolean reachable(long ticks) {
        return ticks >= 0 && ticks / hertz <= MAXIMUM_SECONDS;
    }

    /**
     * The earliest {@code nanoTime} at which the counter reads at least {@code ticks}.
     *
     * @throws IllegalArgumentException if {@code ticks} is not {@link #reachable}
     */
    public long nanoTimeOf(long ticks) {
        if (!reachable(ticks)) {
            throw new IllegalArgumentException("count " + Long.toUnsignedString(ticks) + " at " + hertz
                    + " Hz is beyond the range of the host clock");
        }
        long seconds = ticks / hertz;
        long remainder = ticks % hertz;
        return origin + seconds * NANOS_PER_SECOND + Math.ceilDiv(remainder * NANOS_PER_SECOND, hertz);
    }
}

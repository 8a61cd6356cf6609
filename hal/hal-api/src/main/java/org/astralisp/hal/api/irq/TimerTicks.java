package org.astralisp.hal.api.irq;

import java.math.BigInteger;

/** For {@link Timer} drivers: an interval in whole ticks, rounded up so that a timer never fires early. */
public final class TimerTicks {

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private TimerTicks() {
    }

    /**
     * {@code ceil(nanos · frequency / 10^9)}, computed without overflow; at least 1 for a positive interval.
     *
     * @throws IllegalArgumentException if {@code nanos} is not positive or needs more than {@code maximum} ticks
     */
    public static long of(long nanos, long frequency, long maximum) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("timer interval " + nanos + " ns is not positive");
        }
        BigInteger[] division = BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(frequency))
                .divideAndRemainder(NANOS_PER_SECOND);
        BigInteger ticks = division[1].signum() == 0 ? division[0] : division[0].add(BigInteger.ONE);
        if (ticks.compareTo(BigInteger.valueOf(maximum)) > 0) {
            throw new IllegalArgumentException("timer interval " + nanos + " ns is " + ticks + " ticks at "
                    + frequency + " Hz, beyond the timer's maximum of " + maximum);
        }
        return ticks.longValue();
    }

    /** {@code ticks} of a clock at {@code frequency} as nanoseconds, without overflow for any unsigned tick count below 2^63. */
    public static long toNanos(long ticks, long frequency) {
        return ticks / frequency * 1_000_000_000L + ticks % frequency * 1_000_000_000L / frequency;
    }
}

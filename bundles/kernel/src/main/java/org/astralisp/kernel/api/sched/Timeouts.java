package org.astralisp.kernel.api.sched;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and deadlines of the blocking calls: every timed wait, sleep and
 * timer of the kernel takes a {@link Duration} and checks it here, so that
 * each refuses a negative one the same way.
 */
public final class Timeouts {

    private Timeouts() {
    }

    /**
     * {@code timeout} in nanoseconds, saturated at {@link Long#MAX_VALUE}
     * (about 292 years: for ever).
     *
     * @param what the call that takes it, for the message ("sleep", "channel c: receive")
     * @throws IllegalArgumentException if {@code timeout} is negative, naming {@code what} and the value
     */
    public static long nanos(Duration timeout, String what) {
        Objects.requireNonNull(timeout, () -> what + ": timeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(what + ": timeout " + timeout + " is negative");
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code now + nanos}, saturated at {@link Long#MAX_VALUE} (a deadline never reached). */
    public static long deadline(long now, long nanos) {
        long deadline = now + nanos;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }
}

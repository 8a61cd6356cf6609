package org.astralisp.boot.monitor;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One stray ^C does not power the machine off: a second one within
 * {@link #WINDOW_NANOS} does. Shared by the console's ^C (a tty event) and
 * SIGINT sent to the process, so either confirms the other.
 */
public final class InterruptConfirmation {

    public static final long WINDOW_NANOS = 3_000_000_000L;
    public static final String HINT = "^C (press ^C again within 3 s to shut down)";

    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final LongSupplier clock;

    public InterruptConfirmation() {
        this(System::nanoTime);
    }

    InterruptConfirmation(LongSupplier clock) {
        this.clock = clock;
    }

    /** Records a ^C; returns whether it confirms one within the window (then: shut down). */
    public boolean confirms() {
        long now = clock.getAsLong();
        long previous = last.getAndSet(now);
        return previous != Long.MIN_VALUE && now - previous < WINDOW_NANOS;
    }
}

package org.astralisp.kernel.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The kernel tests' bounded wait for something another thread or vCPU brings about. */
public final class Eventually {

    /** How long a test waits for something that should happen at once on an idle host. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private Eventually() {
    }

    /** Waits up to {@link #WAIT} for {@code condition}, failing with {@code what}. */
    public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(1);
        }
    }
}

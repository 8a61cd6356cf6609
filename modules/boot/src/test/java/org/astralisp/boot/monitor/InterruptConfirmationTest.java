package org.astralisp.boot.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InterruptConfirmationTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final InterruptConfirmation confirmation = new InterruptConfirmation(now::get);

    @Test
    void aSecondInterruptWithinThreeSecondsConfirms() {
        assertFalse(confirmation.confirms(), "the first ^C only warns");
        now.addAndGet(InterruptConfirmation.WINDOW_NANOS - 1);
        assertTrue(confirmation.confirms());
    }

    @Test
    void aSecondInterruptAfterTheWindowWarnsAgainAndStartsANewWindow() {
        assertFalse(confirmation.confirms());
        now.addAndGet(InterruptConfirmation.WINDOW_NANOS);
        assertFalse(confirmation.confirms(), "exactly three seconds later is too late");
        now.addAndGet(1);
        assertTrue(confirmation.confirms(), "but it opened a new window");
    }
}

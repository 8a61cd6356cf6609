package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How console output is cut into replies at the {@code ok } prompt. */
class StreamTranscriptTest {

    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(50);

    private final StreamTranscript transcript = new StreamTranscript();

    private void write(String text) {
        transcript.append(text.toCharArray(), text.length());
    }

    @Test
    void replyIsTheOutputBeforeThePrompt() throws InterruptedException {
        write("ready in 5 ms\nok ");

        assertEquals(new StreamTranscript.Prompted("ready in 5 ms\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void theUartsCrLfLineEndsAreReadAsLfEvenWhenSplitAcrossWrites() throws InterruptedException {
        write("arch: ppc64\r\ncpus: 2\r");
        write("\nok ");

        assertEquals(new StreamTranscript.Prompted("arch: ppc64\ncpus: 2\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void aCrNotBeforeLfIsKept() throws InterruptedException {
        write("50%\r100%\nok ");

        assertEquals(new StreamTranscript.Prompted("50%\r100%\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void promptWithNoOutputBeforeItIsAnEmptyReply() throws InterruptedException {
        write("ok ");

        assertEquals(new StreamTranscript.Prompted(""), transcript.awaitPrompt(SHORT));
    }

    @Test
    void promptSplitAcrossWritesIsRecognisedOnceComplete() throws InterruptedException {
        write("started x 1.0.0 [5]\nok");
        assertEquals(new StreamTranscript.TimedOut("started x 1.0.0 [5]\nok"), transcript.awaitPrompt(SHORT));

        write(" ");

        assertEquals(new StreamTranscript.Prompted("started x 1.0.0 [5]\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void okInsideALineIsNotAPrompt() throws InterruptedException {
        write("look ok ");

        assertEquals(new StreamTranscript.TimedOut("look ok "), transcript.awaitPrompt(SHORT));
    }

    @Test
    void lineThatStartsWithOkAndGoesOnIsNotAPrompt() throws InterruptedException {
        write("ok then\nok ");

        assertEquals(new StreamTranscript.Prompted("ok then\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void eachReplyStartsAfterThePreviousPrompt() throws InterruptedException {
        write("boot\nok ");
        transcript.awaitPrompt(SHORT);
        write("first\nok ");

        assertEquals(new StreamTranscript.Prompted("first\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void endOfStreamEndsTheWaitWithTheRest() throws InterruptedException {
        write("shutting down\n");
        transcript.end();

        assertEquals(new StreamTranscript.Ended("shutting down\n"), transcript.awaitPrompt(SHORT));
    }

    @Test
    void awaitEndTimesOutWhileTheStreamIsOpen() throws InterruptedException {
        write("shutting down\n");

        assertEquals(new StreamTranscript.TimedOut("shutting down\n"), transcript.awaitEnd(SHORT));
    }

    @Test
    void tailQuotesOnlyTheLastCharacters() {
        write("0123456789");

        assertEquals("…789", transcript.tail(3));
        assertEquals("0123456789", transcript.tail(10));
    }
}

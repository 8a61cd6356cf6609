package org.astralisp.it.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a child process has written on one of its output streams, as it
 * arrives, and how far a reader has taken it.
 *
 * <p>A daemon pump thread copies the stream into {@code text} until end of
 * stream; readers wait on {@code grew} for more. Console replies are cut out at
 * the prompt: the monitor prints {@value #PROMPT} at the start of a line, with
 * no newline, each time it waits for input, so the prompt is recognised as
 * those three characters at a line start with nothing after them yet. (A reply
 * line that itself begins with {@code "ok "} and stalls right there would be
 * taken for a prompt; the monitor writes whole lines, so it does not stall.)
 *
 * <p>Locking: {@code lock} guards {@code text}, {@code taken} and {@code ended};
 * the pump appends under it and signals {@code grew}.
 */
final class StreamTranscript {

    static final String PROMPT = "ok ";

    /** How a wait for output ended. */
    sealed interface Outcome permits Prompted, Ended, TimedOut {
        /** The output taken by this wait (for {@link Prompted}, without the prompt). */
        String output();
    }

    /** The process printed a prompt and waits for a line. */
    record Prompted(String output) implements Outcome {
    }

    /** The stream was closed: the process has exited or is exiting. */
    record Ended(String output) implements Outcome {
    }

    /** Neither happened in time; the output so far is left for the next wait. */
    record TimedOut(String output) implements Outcome {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grew = lock.newCondition();
    private final StringBuilder text = new StringBuilder();
    private int taken;
    private boolean ended;

    /** Starts copying {@code in}, decoded as UTF-8, on a daemon thread named {@code name}. */
    static StreamTranscript pump(InputStream in, String name) {
        StreamTranscript transcript = new StreamTranscript();
        Thread pump = new Thread(() -> transcript.copy(new InputStreamReader(in, StandardCharsets.UTF_8)), name);
        pump.setDaemon(true);
        pump.start();
        return transcript;
    }

    private void copy(Reader in) {
        char[] buffer = new char[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                append(buffer, n);
            }
        } catch (IOException closed) {
            // The pipe broke because the process was killed: that is its end of stream.
        } finally {
            end();
        }
    }

    /**
     * Appends what arrived. The console UART's line ends are CR LF (the tty's
     * {@code ONLCR}); they are kept as LF, as a terminal shows them, also when
     * the CR and the LF arrive in different reads.
     */
    void append(char[] chars, int count) {
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                char c = chars[i];
                if (c == '\n' && text.length() > taken && text.charAt(text.length() - 1) == '\r') {
                    text.setLength(text.length() - 1);
                }
                text.append(c);
            }
            grew.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            grew.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for the next prompt and takes the output
     * before it, or for the end of the stream and takes all the rest.
     */
    Outcome awaitPrompt(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (true) {
                if (endsWithPrompt()) {
                    String output = text.substring(taken, text.length() - PROMPT.length());
                    taken = text.length();
                    return new Prompted(output);
                }
                if (ended) {
                    return new Ended(takeRest());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new TimedOut(text.substring(taken));
                }
                grew.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeoutNanos} for the end of the stream and takes all the rest. */
    Outcome awaitEnd(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new TimedOut(text.substring(taken));
                }
                grew.awaitNanos(left);
            }
            return new Ended(takeRest());
        } finally {
            lock.unlock();
        }
    }

    private boolean endsWithPrompt() {
        int start = text.length() - PROMPT.length();
        return start >= taken
                && text.indexOf(PROMPT, start) == start
                && (start == 0 || text.charAt(start - 1) == '\n');
    }

    private String takeRest() {
        String rest = text.substring(taken);
        taken = text.length();
        return rest;
    }

    /** The last {@code chars} characters written, for error messages. */
    String tail(int chars) {
        lock.lock();
        try {
            return text.length() <= chars ? text.toString() : "…" + text.substring(text.length() - chars);
        } finally {
            lock.unlock();
        }
    }
}

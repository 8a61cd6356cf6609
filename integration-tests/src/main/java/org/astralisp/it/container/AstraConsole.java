package org.astralisp.it.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A client of a booted image's console, the way a user at the terminal is one:
 * it sends a line and reads what the system prints up to its next {@code ok }
 * prompt. Inject it into a test with {@code @ArquillianResource AstraConsole}.
 *
 * <p>Every wait is bounded. When the image does not answer in time, or exits
 * when it should not, the console kills it and throws
 * {@link AstraConsoleException}: a hung image fails the test instead of hanging
 * the build. Calls are serialised: one line is in flight at a time.
 */
public final class AstraConsole {

    /** How much of stdout and stderr an error message quotes. */
    private static final int QUOTED_CHARS = 2000;
    /** How long a killed image's stderr may take to reach its end, so that its last words are quoted. */
    private static final Duration STDERR_DRAIN = Duration.ofSeconds(2);
    private static final Pattern PLAIN_WORD = Pattern.compile("[^\\s\"]+");

    private final ImageProcess process;
    private final Duration commandTimeout;
    private String bootTranscript;
    private String killedBecause;

    AstraConsole(ImageProcess process, Duration commandTimeout) {
        this.process = process;
        this.commandTimeout = commandTimeout;
    }

    /** Waits for the first prompt; what came before it is the boot transcript. */
    synchronized void awaitBoot(Duration timeout) {
        bootTranscript = awaitPrompt(timeout, "boot");
    }

    /** What the image printed from launch to its first prompt: banner, boot timeline, {@code ready in}. */
    public synchronized String bootTranscript() {
        return bootTranscript;
    }

    /**
     * Runs one console line and returns its output up to the next prompt, without
     * the final line break.
     *
     * @throws AstraConsoleException if no prompt follows within the command timeout
     */
    public String run(String line) {
        return run(line, commandTimeout);
    }

    /** {@link #run(String)} with a timeout of its own. */
    public synchronized String run(String line, Duration timeout) {
        send(line);
        String output = awaitPrompt(timeout, "'" + line + "'");
        return output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
    }

    /** Runs {@code bundles} and reads its table. */
    public BundleTable bundles() {
        return BundleTable.parse(run("bundles"));
    }

    /** Quotes {@code word} for a console line when it has spaces or quotes (console syntax: ConsoleCommand). */
    public static String quote(String word) {
        if (PLAIN_WORD.matcher(word).matches()) {
            return word;
        }
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Sends {@code shutdown} and waits for a clean exit: the image says it is
     * shutting down, closes its console and exits with status 0.
     *
     * @throws AstraConsoleException if it does not, after killing it
     */
    synchronized void shutdown(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        send("shutdown");
        try {
            StreamTranscript.Outcome rest = process.stdout().awaitEnd(timeout.toNanos());
            OptionalInt status = process.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (rest instanceof StreamTranscript.TimedOut || status.isEmpty()) {
                throw failure("did not exit within " + timeout.toSeconds() + " s of 'shutdown'", rest.output());
            }
            if (status.getAsInt() != 0 || !rest.output().startsWith("shutting down")) {
                throw failure("did not shut down cleanly (exit status " + status.getAsInt() + ")", rest.output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while shutting down", "");
        }
    }

    /** Whether the image has been killed or has exited. */
    public boolean isDown() {
        return !process.isAlive();
    }

    /** Why the console killed the image, or null if it did not. */
    synchronized String killedBecause() {
        return killedBecause;
    }

    private void send(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a console line cannot contain a line break: " + line);
        }
        if (killedBecause != null) {
            throw new AstraConsoleException("the image was killed earlier (" + killedBecause + "); cannot send '"
                    + line + "'");
        }
        try {
            OutputStream in = process.stdin();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw failure("stopped reading its console (" + e.getMessage() + ") before '" + line + "'", "");
        }
    }

    private String awaitPrompt(Duration timeout, String after) {
        StreamTranscript.Outcome outcome;
        try {
            outcome = process.stdout().awaitPrompt(timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while waiting for the prompt after " + after, "");
        }
        return switch (outcome) {
            case StreamTranscript.Prompted prompted -> prompted.output();
            case StreamTranscript.Ended ended -> throw failure("exited instead of prompting after " + after
                    + exitStatus(), ended.output());
            case StreamTranscript.TimedOut timedOut -> throw failure("printed no prompt within "
                    + timeout.toMillis() + " ms after " + after, timedOut.output());
        };
    }

    private String exitStatus() {
        try {
            OptionalInt status = process.awaitExit(Duration.ofSeconds(5));
            return status.isPresent() ? " (exit status " + status.getAsInt() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Kills the image and describes why, with the output that led there. */
    private AstraConsoleException failure(String what, String output) {
        String reason = "the image (pid " + process.pid() + ") " + what;
        if (killedBecause == null) {
            killedBecause = reason;
        }
        try {
            process.kill();
            process.stderr().awaitEnd(STDERR_DRAIN.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new AstraConsoleException(reason + "; it was killed.\n--- console output ---\n"
                + quoteTail(output) + "\n--- stderr ---\n" + process.stderr().tail(QUOTED_CHARS));
    }

    private static String quoteTail(String output) {
        return output.length() <= QUOTED_CHARS ? output : "…" + output.substring(output.length() - QUOTED_CHARS);
    }
}

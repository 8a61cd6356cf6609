package org.astralisp.machine.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory serial line for tests and for the loader: the host side feeds
 * the guest's input with {@link #feed} and reads what the guest transmitted
 * with {@link #readOutput} or {@link #drainOutput}. No threads of its own.
 *
 * <p>Capacities: {@value #CAPACITY} bytes each way. {@link #feed} waits while
 * the guest has not taken earlier input; output the host does not read beyond
 * that is dropped (counted in {@link #droppedOutput()}).
 *
 * <p>The pipe's host end is there from the start; {@link #endInput()} is its
 * end of file, after which the carrier drops once the guest has taken what
 * was fed (a hangup, {@link ConsoleBackend}).
 */
public final class PipeConsole extends QueuedConsole {

    public static final int CAPACITY = 64 * 1024;

    private volatile boolean inputEnded;

    public PipeConsole() {
        super(CAPACITY, CAPACITY);
    }

    /**
     * The host end goes away, as standard input reaching end of file: nothing
     * more can be fed, and the carrier drops once the guest has taken what
     * was. Output can still be read. Idempotent.
     */
    public void endInput() {
        inputEnded = true;
        hostChanged();
    }

    @Override
    boolean hostPresent() {
        return !inputEnded;
    }

    /**
     * Queues {@code bytes} as input for the guest, in order, waiting for room.
     *
     * @throws IllegalStateException if the console was closed or its input ended
     */
    public void feed(byte[] bytes) throws InterruptedException {
        if (inputEnded) {
            throw new IllegalStateException("pipe console input has ended: input not delivered");
        }
        for (byte b : bytes) {
            if (!deliver(b)) {
                throw new IllegalStateException("pipe console is closed: input not delivered");
            }
        }
    }

    /** {@link #feed(byte[])} of {@code text} in UTF-8. */
    public void feed(String text) throws InterruptedException {
        feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every byte transmitted and not read yet; empty if there is none. Never blocks. */
    public byte[] drainOutput() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = output.poll(); b >= 0; b = output.poll()) {
            bytes.write(b);
        }
        outputTaken();
        return bytes.toByteArray();
    }

    /**
     * Waits up to {@code timeout} for transmitted bytes, then returns all that
     * are there: empty if none came in time.
     */
    public byte[] readOutput(Duration timeout) throws InterruptedException {
        int first = output.take(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first < 0) {
            return new byte[0];
        }
        outputTaken();
        byte[] rest = drainOutput();
        byte[] all = new byte[rest.length + 1];
        all[0] = (byte) first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void close() {
        closeQueues();
    }

    @Override
    public String toString() {
        return "pipe console";
    }
}

package org.astralisp.machine.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The console on the JVM's standard streams (or any pair of streams): thread
 * {@code console-stdin} reads the input stream and queues each byte for the
 * guest, waiting while the guest has not taken earlier input (so a paste is
 * paced, not lost); thread {@code console-stdout} writes what the guest
 * transmitted and flushes whenever it has caught up.
 *
 * <p>When the host does not read standard output, the writer blocks in
 * {@code write}, the {@value #OUTPUT_CAPACITY}-byte output queue fills, and
 * further output is dropped and counted; the vCPU never waits. End of input
 * (or a read error) ends the reader and drops the carrier once the guest has
 * taken what was read: the guest sees a hangup ({@link ConsoleBackend}). {@link #close()}
 * stops the writer after it has written what was queued; it does not close
 * the streams (they are the JVM's). A reader blocked in {@code read} of
 * {@code System.in} cannot be interrupted; it is a daemon thread and ends at
 * the next byte or with the JVM.
 */
public final class StdioConsole extends QueuedConsole {

    static final int INPUT_CAPACITY = 4096;
    static final int OUTPUT_CAPACITY = 64 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Thread reader;
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean inputEnded;

    /** Starts the reader and writer threads on {@code in} and {@code out}. */
    public StdioConsole(InputStream in, OutputStream out) {
        super(INPUT_CAPACITY, OUTPUT_CAPACITY);
        this.in = in;
        this.out = out;
        reader = Thread.ofPlatform().name("console-stdin").daemon().start(this::readInput);
        writer = Thread.ofPlatform().name("console-stdout").daemon().start(this::writeOutput);
    }

    private void readInput() {
        byte[] buffer = new byte[INPUT_CAPACITY];
        try {
            for (int n = in.read(buffer); n >= 0 && !closed; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (!deliver(buffer[i])) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException("console-stdin: reading the host's input failed", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inputEnded = true;
            hostChanged();
        }
    }

    private void writeOutput() {
        try {
            long written = 0;
            while (true) {
                int b = output.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
                if (b < 0) {
                    return;
                }
                outputTaken();
                out.write(b);
                written++;
                if (output.size() == 0) {
                    out.flush();
                    handedOver(written);
                    written = 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("console-stdout: writing the guest's output failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code tcdrain}: waits until what the guest transmitted so far has been written to the host's output and flushed. */
    @Override
    public boolean drain(java.time.Duration timeout) {
        return awaitHandedOver(timeout);
    }

    @Override
    boolean hostPresent() {
        return !inputEnded;
    }

    /** Stops the threads; the writer first writes and flushes what is queued. */
    @Override
    public void close() {
        closed = true;
        closeQueues();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.interrupt();
    }

    @Override
    public String toString() {
        return "stdio console";
    }
}

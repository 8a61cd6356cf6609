package org.astralisp.machine.console;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * The console on a pair of named pipes, as QEMU's {@code -serial pipe:PATH}:
 * the guest receives what is written to {@code PATH.in} and sends to
 * {@code PATH.out}. Both must exist and be FIFOs ({@code mkfifo PATH.in
 * PATH.out}); unlike QEMU there is no single-pipe form, in which the guest
 * would read its own output back.
 *
 * <p>Threads: {@code console-pipe-read} opens {@code PATH.in} (the open waits
 * for a writer, POSIX {@code open(2)} on a FIFO), queues what it reads for the
 * guest, waiting while the guest has not taken earlier input, and at end of
 * file (the writer closed) opens it again for the next writer.
 * {@code console-pipe-open} opens {@code PATH.out} (waiting for a reader);
 * {@code console-pipe-write} writes the guest's output to it while it is open
 * and discards it while no reader has it open, as on a serial line with nothing
 * plugged in; a reader that goes away (EPIPE) makes the opener wait for the next.
 *
 * <p>Carrier ({@link ConsoleBackend}): up while a writer has {@code PATH.in}
 * open (and until the guest has taken what it wrote); its close is a hangup,
 * the next writer a new session ({@link #reconnects()}).
 *
 * <p>{@link #close()} stops the writer and unblocks the threads waiting in an
 * open by opening the other end itself; a reader thread blocked in a read on
 * an open pipe is a daemon and ends with its writer or the JVM.
 */
public final class NamedPipeConsole extends QueuedConsole {

    static final String OPTION_PREFIX = "pipe:";
    static final int INPUT_CAPACITY = 4096;
    static final int OUTPUT_CAPACITY = 64 * 1024;

    private final Path inputPipe;
    private final Path outputPipe;
    private final Thread reader;
    private final Thread opener;
    private final Thread writer;
    private final Object sinkLock = new Object();
    private OutputStream sink;
    private volatile boolean writerConnected;
    private volatile boolean closed;

    /**
     * The console on {@code path.in} and {@code path.out}.
     *
     * @throws IllegalArgumentException naming the file if either does not exist or is not a FIFO
     */
    public NamedPipeConsole(Path path) {
        super(INPUT_CAPACITY, OUTPUT_CAPACITY);
        this.inputPipe = fifo(path, ".in");
        this.outputPipe = fifo(path, ".out");
        reader = Thread.ofPlatform().name("console-pipe-read").daemon().start(this::readInput);
        opener = Thread.ofPlatform().name("console-pipe-open").daemon().start(this::openOutput);
        writer = Thread.ofPlatform().name("console-pipe-write").daemon().start(this::writeOutput);
    }

    private static Path fifo(Path path, String suffix) {
        Path fifo = Path.of(path + suffix);
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(fifo, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("--console pipe:" + path + ": " + fifo
                    + " does not exist (create both pipes with mkfifo " + path + ".in " + path + ".out)", e);
        }
        if (!attributes.isOther()) {
            throw new IllegalArgumentException("--console pipe:" + path + ": " + fifo
                    + " is not a named pipe (create it with mkfifo)");
        }
        return fifo;
    }

    private void readInput() {
        byte[] buffer = new byte[INPUT_CAPACITY];
        while (!closed) {
            try (InputStream in = new FileInputStream(inputPipe.toFile())) {
                if (closed) {
                    return;
                }
                writerConnected = true;
                hostChanged();
                for (int n = in.read(buffer); n >= 0 && !closed; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (!deliver(buffer[i])) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("console-pipe-read: reading " + inputPipe + " failed", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                if (writerConnected) {
                    writerConnected = false;
                    hostChanged();
                }
            }
        }
    }

    /** Opens the output pipe whenever it is not open: the open waits for a reader. */
    private void openOutput() {
        try {
            while (!closed) {
                synchronized (sinkLock) {
                    while (sink != null && !closed) {
                        sinkLock.wait();
                    }
                }
                if (closed) {
                    return;
                }
                OutputStream out = new FileOutputStream(outputPipe.toFile());
                synchronized (sinkLock) {
                    if (closed) {
                        out.close();
                        return;
                    }
                    sink = out;
                }
            }
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException("console-pipe-open: opening " + outputPipe + " failed", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeOutput() {
        try {
            for (int b = output.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS); b >= 0;
                    b = output.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
                outputTaken();
                synchronized (sinkLock) {
                    if (sink == null) {
                        continue; // nobody reads the pipe: the byte goes nowhere, as on an unplugged line
                    }
                    try {
                        sink.write(b);
                        if (output.size() == 0) {
                            sink.flush();
                        }
                    } catch (IOException readerGone) {
                        closeQuietly(sink);
                        sink = null;
                        sinkLock.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // a pipe whose reader is gone has nothing left to flush
            return;
        }
    }

    /** A new writer on {@code PATH.in} is a new session. */
    @Override
    public boolean reconnects() {
        return true;
    }

    @Override
    boolean hostPresent() {
        return writerConnected;
    }

    @Override
    public void close() {
        closed = true;
        closeQueues();
        synchronized (sinkLock) {
            if (sink != null) {
                closeQuietly(sink);
                sink = null;
            }
            sinkLock.notifyAll();
        }
        // Threads waiting in open(2) for the other end: be that other end for a moment, on a daemon thread,
        // since such an open can itself wait if the thread it is for has gone meanwhile.
        Thread.ofPlatform().name("console-pipe-close").daemon().start(() -> {
            unblock(reader, inputPipe, false);
            unblock(opener, outputPipe, true);
        });
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void unblock(Thread waiting, Path fifo, boolean read) {
        if (!waiting.isAlive()) {
            return;
        }
        try {
            if (read) {
                new FileInputStream(fifo.toFile()).close();
            } else {
                new FileOutputStream(fifo.toFile()).close();
            }
        } catch (IOException e) {
            // the pipe is gone: nobody waits on it any more
            return;
        }
    }

    @Override
    public String toString() {
        return "pipe console " + inputPipe + " / " + outputPipe;
    }
}

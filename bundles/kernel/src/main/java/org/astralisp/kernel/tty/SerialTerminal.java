package org.astralisp.kernel.tty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.kernel.api.irq.DeferredWork;

/**
 * A terminal on a serial line: the {@link Terminal} service {@code ttyS0}.
 * Between the UART driver and the reader it keeps three things:
 *
 * <ol>
 * <li>the <em>raw input</em>: bytes and carrier changes as the interrupt
 *     handler hands them over ({@link SerialReceiver}), in order, at most
 *     {@value #RAW_CAPACITY} bytes (beyond, the driver counts them dropped);</li>
 * <li>the {@link LineDiscipline}, which the deferred work runs over the raw
 *     input, with the echo going back out through the driver;</li>
 * <li>the <em>ready queue</em> of finished inputs ({@link TerminalInput}) for
 *     {@link #read()}: input typed while nobody reads is kept, up to
 *     {@value #READY_BYTES} bytes of lines and {@value #READY_ENTRIES} entries;
 *     beyond that the discipline refuses with a bell (it never drops a line
 *     silently).</li>
 * </ol>
 *
 * <p>Hangup: a carrier loss (MSR.DCD falling) discards the line being typed
 * and queues {@link TerminalInput.Hangup} after the inputs finished before it;
 * from then on, while the carrier stays down, every read that finds the queue
 * empty returns {@code Hangup} at once. When the carrier comes back (a new
 * telnet client) reads wait for input again. A carrier that is down when the
 * terminal starts is not a hangup (nobody was there to hang up): reads wait.
 * {@link #close()} is the hangup of a terminal going away: it wakes every
 * reader with {@code Hangup}, now and for every later read.
 *
 * <p>Output: {@link #write} encodes UTF-8, applies {@link OutputProcessing#onlcr}
 * and hands the bytes to the driver, as does the echo.
 *
 * <p>Locking: {@code rawLock} guards the raw input only (taken in interrupt
 * context, never held while calling out); {@code lock} guards the
 * discipline, the ready queue and the hangup state. The echo is handed to
 * the output under {@code lock}, before the readers are woken, so that a
 * reader's answer never overtakes the echo of the line it read; the output
 * (the driver's {@code write}) never waits for long, and the driver never
 * takes {@code lock} while it holds its own. Writes hold neither. Order:
 * {@code lock}, then {@code rawLock} or the driver's lock.
 */
final class SerialTerminal implements Terminal, JobControlTerminal, SerialReceiver, AutoCloseable {

    static final int RAW_CAPACITY = 4096;
    static final int READY_BYTES = 64 * 1024;
    static final int READY_ENTRIES = 1024;

    private static final int CARRIER_DOWN = -1;
    private static final int CARRIER_UP = -2;
    /** Room kept beyond the bytes for carrier changes, so a change is never refused. */
    private static final int MARKER_ROOM = 64;

    private final String name;
    private final Consumer<byte[]> output;
    private final DeferredWork processing;

    private final ReentrantLock rawLock = new ReentrantLock();
    private final int[] raw = new int[RAW_CAPACITY + MARKER_ROOM];
    private int rawHead;
    private int rawCount;
    private int rawBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition inputReady = lock.newCondition();
    private final LineDiscipline discipline = new LineDiscipline();
    private final ArrayDeque<TerminalInput> ready = new ArrayDeque<>();
    private int readyBytes;
    private boolean hungUp;
    private boolean closed;
    private volatile Runnable interruptHandler;
    /** Guarded by {@code lock}: ^C typed in the events being processed. */
    private int interruptsTyped;

    private final ByteArrayOutputStream echoBuffer = new ByteArrayOutputStream();
    private final LineDiscipline.Sink sink = new LineDiscipline.Sink() {
        @Override
        public void echo(byte[] bytes) {
            echoBuffer.writeBytes(bytes);
        }

        @Override
        public boolean deliver(TerminalInput input) {
            if (input instanceof TerminalInput.Interrupt) {
                interruptsTyped++; // ISIG: the signal goes even when the reader's queue is full
            }
            return offer(input);
        }
    };

    /**
     * A terminal named {@code name} ({@code "ttyS0 (ns16550a at 0x10000000)"})
     * writing through {@code output}, whose input processing runs as the
     * deferred work {@code deferral} makes of it.
     */
    SerialTerminal(String name, Consumer<byte[]> output, Function<Runnable, DeferredWork> deferral) {
        this.name = Objects.requireNonNull(name, "name");
        this.output = Objects.requireNonNull(output, "output");
        this.processing = deferral.apply(this::processInput);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TerminalInput read() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (closed) {
                    return new TerminalInput.Hangup();
                }
                TerminalInput input = ready.poll();
                if (input != null) {
                    if (input instanceof TerminalInput.Line line) {
                        readyBytes -= line.bytes().length;
                    }
                    return input;
                }
                if (hungUp) {
                    return new TerminalInput.Hangup();
                }
                inputReady.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(String text) {
        output.accept(OutputProcessing.onlcr(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void setEcho(boolean echo) {
        lock.lock();
        try {
            discipline.setEcho(echo);
        } finally {
            lock.unlock();
        }
    }

    boolean echo() {
        lock.lock();
        try {
            return discipline.echo();
        } finally {
            lock.unlock();
        }
    }

    // ---- interrupt side (SerialReceiver): short, under rawLock only ----

    @Override
    public boolean received(byte b) {
        rawLock.lock();
        try {
            if (rawBytes == RAW_CAPACITY) {
                return false;
            }
            append(b & 0xFF);
            rawBytes++;
            return true;
        } finally {
            rawLock.unlock();
        }
    }

    @Override
    public void carrierChanged(boolean detected) {
        rawLock.lock();
        try {
            if (rawCount < raw.length) {
                append(detected ? CARRIER_UP : CARRIER_DOWN);
            } else {
                // Only carrier changes fill the marker room: the last one stands for them all.
                raw[(rawHead + rawCount - 1) % raw.length] = detected ? CARRIER_UP : CARRIER_DOWN;
            }
        } finally {
            rawLock.unlock();
        }
    }

    @Override
    public void wake() {
        processing.schedule();
    }

    private void append(int value) {
        raw[(rawHead + rawCount) % raw.length] = value;
        rawCount++;
    }

    // ---- deferred work ----

    /**
     * Runs the line discipline over the raw input taken so far, sends the
     * echo and wakes readers; then, outside the lock, runs the interrupt
     * handler once per ^C typed. Deferred work: a vCPU with interrupts enabled.
     */
    void processInput() {
        int[] events = takeRaw();
        if (events.length == 0) {
            return;
        }
        int interrupts;
        lock.lock();
        try {
            for (int event : events) {
                switch (event) {
                    case CARRIER_DOWN -> hangUp();
                    case CARRIER_UP -> hungUp = false;
                    default -> discipline.receive((byte) event, sink);
                }
            }
            byte[] echo = takeEcho();
            if (echo.length > 0) {
                // Before the readers wake (as Linux's n_tty commits echoes first): what a reader
                // writes in answer to a line never overtakes that line's echo.
                output.accept(OutputProcessing.onlcr(echo));
            }
            inputReady.signalAll();
            interrupts = interruptsTyped;
            interruptsTyped = 0;
        } finally {
            lock.unlock();
        }
        Runnable handler = interruptHandler;
        for (int i = 0; i < interrupts && handler != null; i++) {
            handler.run();
        }
    }

    @Override
    public void setInterruptHandler(Runnable handler) {
        interruptHandler = handler;
    }

    private int[] takeRaw() {
        rawLock.lock();
        try {
            int[] events = new int[rawCount];
            for (int i = 0; i < rawCount; i++) {
                events[i] = raw[(rawHead + i) % raw.length];
            }
            rawHead = 0;
            rawCount = 0;
            rawBytes = 0;
            return events;
        } finally {
            rawLock.unlock();
        }
    }

    /** Carrier lost: the typed line goes, the inputs finished before stay, then Hangup. Under {@code lock}. */
    private void hangUp() {
        discipline.discardLine();
        if (!hungUp) {
            ready.add(new TerminalInput.Hangup());
        }
        hungUp = true;
    }

    /** The discipline's delivery into the ready queue, within its bounds. Under {@code lock}. */
    private boolean offer(TerminalInput input) {
        int bytes = input instanceof TerminalInput.Line line ? line.bytes().length : 0;
        if (ready.size() >= READY_ENTRIES || readyBytes + bytes > READY_BYTES) {
            return false;
        }
        ready.add(input);
        readyBytes += bytes;
        return true;
    }

    private byte[] takeEcho() {
        byte[] bytes = echoBuffer.toByteArray();
        echoBuffer.reset();
        return bytes;
    }

    /** The terminal goes away: every reader, now and later, gets {@link TerminalInput.Hangup}. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            inputReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

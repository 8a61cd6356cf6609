package org.astralisp.machine.console;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the pipe, stdio and telnet back ends share: a bounded input queue that
 * host threads fill ({@link #deliver}, waiting for room) and the UART empties
 * ({@link #poll}), and a bounded output queue that the UART fills
 * ({@link #transmit}, dropping when full) and a host thread empties.
 *
 * <p>Invariant: the {@code inputAvailable} hook runs after every byte queued
 * for the guest, outside the queue's lock. The UART pulls as many bytes as its
 * FIFO has room for then, and again whenever the guest makes room (a read of
 * RBR, a receiver FIFO reset), so no queued byte waits while there is room.
 *
 * <p>Carrier: the subclass says when its host end comes and goes
 * ({@link #hostPresent}, then {@link #hostChanged}); the carrier is up while the host end is there or
 * bytes it sent are still queued, so the UART sees every byte before the
 * hangup. The hook runs after each change of the host end too.
 */
abstract sealed class QueuedConsole implements ConsoleBackend permits NamedPipeConsole, PipeConsole, StdioConsole, TelnetConsole {

    private static final Runnable NOT_CONNECTED = () -> { };

    final ByteQueue input;
    final ByteQueue output;
    private final AtomicReference<Runnable> inputAvailable = new AtomicReference<>(NOT_CONNECTED);
    private final AtomicLong dropped = new AtomicLong();
    /** {@link #clearToSend()} said no; the next {@link #outputTaken()} calls the hook. */
    private volatile boolean waitingToSend;
    /** Bytes {@link #transmit} queued for the host. */
    private final AtomicLong accepted = new AtomicLong();
    /** Bytes a subclass has handed to the host and flushed ({@link #handedOver}). */
    private final AtomicLong handedOver = new AtomicLong();

    QueuedConsole(int inputCapacity, int outputCapacity) {
        input = new ByteQueue(inputCapacity);
        output = new ByteQueue(outputCapacity);
    }

    @Override
    public final void connect(Runnable hook) {
        Objects.requireNonNull(hook, "inputAvailable");
        if (!inputAvailable.compareAndSet(NOT_CONNECTED, hook)) {
            throw new IllegalStateException(this + " is connected to a UART already");
        }
    }

    @Override
    public final int poll() {
        return input.poll();
    }

    @Override
    public final void transmit(byte b) {
        if (output.offer(b)) {
            accepted.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    @Override
    public final boolean carrierDetected() {
        return hostPresent() || input.size() > 0;
    }

    /**
     * Room in the output queue. A refusal is remembered, so that the writer
     * calls the hook when it has taken a byte ({@link #outputTaken()}); the
     * flag is set before the second look, so a byte taken in between is not
     * missed.
     */
    @Override
    public final boolean clearToSend() {
        if (output.size() < output.capacity()) {
            return true;
        }
        waitingToSend = true;
        return output.size() < output.capacity();
    }

    /** A subclass's writer took bytes from the output queue: tells a UART that waits for room. */
    final void outputTaken() {
        if (waitingToSend) {
            waitingToSend = false;
            inputAvailable.get().run();
        }
    }

    @Override
    public final long droppedOutput() {
        return dropped.get();
    }

    /**
     * Queues {@code b} for the guest, waiting while the input queue is full,
     * then tells the UART.
     *
     * @return false if the back end was closed first
     */
    final boolean deliver(byte b) throws InterruptedException {
        if (!input.put(b)) {
            return false;
        }
        inputAvailable.get().run();
        return true;
    }

    /** A subclass's writer has written and flushed {@code bytes} more bytes to the host. */
    final void handedOver(long bytes) {
        handedOver.addAndGet(bytes);
    }

    /** Waits until every byte queued before the call has been handed over, or {@code timeout} passes. */
    final boolean awaitHandedOver(java.time.Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handedOver.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Whether the host end is there now (a volatile read: any thread asks). */
    abstract boolean hostPresent();

    /**
     * The host end came or went ({@link #hostPresent()} changed): tells the
     * UART, which samples {@link #carrierDetected()}. Called with no lock held.
     */
    final void hostChanged() {
        inputAvailable.get().run();
    }

    /** Closes both queues, waking every host thread waiting on them. */
    final void closeQueues() {
        input.close();
        output.close();
    }
}

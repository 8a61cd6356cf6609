package org.astralisp.machine.console;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A serial line with nothing plugged in: every transmitted byte is discarded
 * (and counted), and there is never input. Its carrier stays up (the
 * interface's default): a machine started without a console is not a console
 * that was hung up, and the OS must not take it for one.
 */
final class DetachedConsole implements ConsoleBackend {

    private final AtomicLong discarded = new AtomicLong();

    @Override
    public void connect(Runnable inputAvailable) {
        // Nothing will ever arrive, so the hook is never called.
    }

    @Override
    public int poll() {
        return -1;
    }

    @Override
    public void transmit(byte b) {
        discarded.incrementAndGet();
    }

    @Override
    public long droppedOutput() {
        return discarded.get();
    }

    @Override
    public void close() {
        // No threads, no host resources.
    }
}

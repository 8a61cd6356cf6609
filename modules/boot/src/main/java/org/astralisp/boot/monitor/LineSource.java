package org.astralisp.boot.monitor;

import java.io.IOException;

/** Where the monitor's lines come from: a byte stream ({@link ConsoleInput}) or the kernel's tty. */
@FunctionalInterface
public interface LineSource {

    /**
     * The next line or event; blocks until there is one.
     *
     * @throws IOException if the input failed
     * @throws InterruptedException if the reading thread was interrupted
     */
    ConsoleInput.Read next() throws IOException, InterruptedException;
}

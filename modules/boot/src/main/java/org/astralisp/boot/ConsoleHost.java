package org.astralisp.boot;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The host side of the console: the streams the {@code stdio} back end of the
 * machine's UART uses, and whether they are an interactive terminal (then
 * the guest tty echoes what is typed; through a pipe it does not, so a script's
 * transcript holds each line once).
 *
 * @param in what the UART receives with {@code --console stdio}
 * @param out where the boot timeline and, with {@code --console stdio}, the UART's output go
 * @param terminal whether {@code in} is a terminal the loader put in raw mode
 */
public record ConsoleHost(InputStream in, PrintStream out, boolean terminal) {

    /** {@code out} with no input: for tests and {@code -e} scripts. */
    public static ConsoleHost output(PrintStream out) {
        return new ConsoleHost(InputStream.nullInputStream(), out, false);
    }
}

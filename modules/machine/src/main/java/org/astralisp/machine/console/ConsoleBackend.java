package org.astralisp.machine.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The host end of the console UART's serial line (ARCHITECTURE §1, "Host back
 * ends"): where the bytes the guest transmits go, and where the bytes it
 * receives come from.
 *
 * <p>Contract with the UART, which is the only caller of {@link #connect},
 * {@link #poll} and {@link #transmit}:
 * <ul>
 * <li>Receive is flow-controlled, as a line with RTS/CTS: the back end queues
 *     host input and calls the {@code inputAvailable} hook after each byte; the
 *     UART takes bytes with {@link #poll} only while its receive FIFO has room.
 *     Host input is therefore never lost to an overrun; a host thread that
 *     gets ahead of the guest waits.</li>
 * <li>{@link #transmit} never blocks: it appends to a bounded buffer that a
 *     host thread drains. When the host does not read and the buffer is full,
 *     the byte is discarded and counted in {@link #droppedOutput()} — a serial
 *     line with nobody listening — so a stalled terminal never stalls a vCPU.</li>
 * <li>The hook runs on a back-end thread with no back-end lock held; it may
 *     call {@link #poll} and {@link #carrierDetected}.</li>
 * <li>Carrier: {@link #carrierDetected} says whether the host end is there —
 *     a terminal on standard input, a connected telnet client, an open pipe.
 *     The UART shows it as the modem inputs DCD and DSR (PC16550D MSR bits 7
 *     and 5), with their delta bits and a modem status interrupt on each
 *     change, so the OS sees a hangup as it would on a real serial line. The
 *     carrier drops when the host end goes away (end of file on standard
 *     input or on the pipe, the telnet client disconnects) <em>and</em> every
 *     byte it sent before has been taken by {@link #poll}: input is never
 *     overtaken by the hangup. It rises when a host end connects again (a
 *     new telnet client). The back end calls the {@code inputAvailable} hook
 *     after each change, as after each byte.</li>
 * </ul>
 *
 * <p>The machine owns its back end and closes it when it powers off.
 */
public interface ConsoleBackend extends AutoCloseable {

    /**
     * Gives the back end the hook it calls whenever a byte of input has been
     * queued, and whenever {@link #carrierDetected()} may have changed. Called
     * once, by the UART.
     *
     * @throws IllegalStateException if a UART is connected already
     */
    void connect(Runnable inputAvailable);

    /** The next byte of host input (0..255), or -1 if there is none now. Never blocks. */
    int poll();

    /** Sends one byte from the guest to the host; never blocks (see the class comment). */
    void transmit(byte b);

    /**
     * Whether the host end of the line is there (see the class comment):
     * the serial line's carrier. A back end whose host end never goes away
     * keeps the default, always true.
     */
    default boolean carrierDetected() {
        return true;
    }

    /**
     * Whether {@link #transmit} has room now: the host's "clear to send". When
     * it answers false the back end calls the {@link #connect} hook once room
     * is back, and the UART holds the guest's bytes in its transmitter FIFO
     * meanwhile (LSR.THRE low), so a host that reads slowly slows the guest
     * down instead of losing its output. A back end that never refuses (the
     * detached one discards) answers true.
     */
    default boolean clearToSend() {
        return true;
    }

    /**
     * Whether a host end that went away can come back (a telnet port takes the
     * next client), so that a hangup ends a session and not the console. The
     * standard streams cannot: their end of input is final.
     */
    default boolean reconnects() {
        return false;
    }

    /** How many transmitted bytes were discarded because the host did not read them in time. */
    long droppedOutput();

    /**
     * POSIX {@code tcdrain}: waits until every byte transmitted before the call
     * has reached the host (written and flushed), at most {@code timeout}.
     * Back ends whose host end gives no such acknowledgement return at once.
     *
     * @return whether the output drained in time
     */
    default boolean drain(java.time.Duration timeout) {
        return true;
    }

    /** Stops the back end's threads and releases its host resources. Idempotent. */
    @Override
    void close();

    /** No host: output is discarded, there is never input. The machine's default. */
    static ConsoleBackend detached() {
        return new DetachedConsole();
    }

    /** The JVM's standard input and output. */
    static ConsoleBackend stdio() {
        return new StdioConsole(System.in, System.out);
    }

    /**
     * The back end a {@code --console} value names: {@code none},
     * {@code stdio}, {@code telnet:PORT} (listening on 127.0.0.1:PORT),
     * {@code pipe:PATH} (the named pipes PATH.in and PATH.out).
     *
     * @throws IllegalArgumentException naming the value if it is none of these
     * @throws UncheckedIOException if the telnet port cannot be bound
     */
    static ConsoleBackend forOption(String option) {
        switch (option) {
            case "none":
                return detached();
            case "stdio":
                return stdio();
            default:
                break;
        }
        if (option.startsWith(NamedPipeConsole.OPTION_PREFIX)
                && option.length() > NamedPipeConsole.OPTION_PREFIX.length()) {
            return new NamedPipeConsole(Path.of(option.substring(NamedPipeConsole.OPTION_PREFIX.length())));
        }
        if (option.startsWith(TelnetConsole.OPTION_PREFIX)) {
            String port = option.substring(TelnetConsole.OPTION_PREFIX.length());
            try {
                return new TelnetConsole(Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--console " + option + ": " + port + " is not a port number", e);
            } catch (IOException e) {
                throw new UncheckedIOException("--console " + option + ": cannot listen on 127.0.0.1:" + port, e);
            }
        }
        throw new IllegalArgumentException("--console " + option + ": expected none, stdio, telnet:PORT or pipe:PATH");
    }
}

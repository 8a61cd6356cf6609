package org.astralisp.boot.console;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.astralisp.boot.monitor.ConsoleInput;
import org.astralisp.boot.monitor.LineSource;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The console the boot monitor uses: the kernel's tty ({@link Terminal}
 * service, ttyS0 over the interrupt-driven UART driver) whenever one is
 * registered, and otherwise the console UART polled by the loader itself
 * ({@link PolledUart}), like firmware before an OS. Either way every byte goes
 * through the machine's UART.
 *
 * <p>The tty is followed across hot swaps: when the kernel bundle is updated
 * its Terminal goes away (its reader sees a hangup) and a new one arrives; a
 * hangup from a Terminal that is no longer registered is not the end of the
 * console, the monitor reads from the successor. A hangup from the registered
 * Terminal (the host closed the line) is.
 *
 * <p>Waiting: when no Terminal is registered but an active bundle declares
 * that it provides one (its {@code Provide-Capability} names the service, as
 * bnd writes it for a DS component), the console waits up to the boot's
 * limit for it before falling back to polling.
 */
public final class SystemConsole implements LineSource, AutoCloseable {

    /** Looks a second at the carrier of a host end that went away and can come back. */
    static final int SESSION_POLLS_PER_SECOND = 10;

    private final BundleContext context;
    private final ServiceTracker<Terminal, Terminal> terminals;
    private final PolledUart uart;
    private final Duration wait;
    private final boolean echo;
    private final boolean reconnects;
    private final PrintWriter out;
    private Terminal configured;

    /**
     * @param uart the console UART, for when no tty is there
     * @param wait how long to wait for a tty a bundle promises
     * @param echo whether the tty echoes typed characters (off when the host end is not a terminal)
     */
    public SystemConsole(BundleContext context, PolledUart uart, Duration wait, boolean echo) {
        this(context, uart, wait, echo, false);
    }

    /**
     * @param reconnects whether the host end can come back after a hangup (a telnet port, named
     *        pipes: {@code ConsoleBackend.reconnects()}); then a hangup ends a session, and the console
     *        waits for the next one instead of ending
     */
    public SystemConsole(BundleContext context, PolledUart uart, Duration wait, boolean echo, boolean reconnects) {
        this.context = context;
        this.terminals = new ServiceTracker<>(context, Terminal.class, null);
        this.terminals.open();
        this.uart = uart;
        this.wait = wait;
        this.echo = echo;
        this.reconnects = reconnects;
        this.out = new PrintWriter(new ConsoleWriter(), true);
        try {
            if (terminal() == null) {
                uart.takeOver();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where console output goes: the current tty, or the polled UART. Flushed by println and flush. */
    public PrintWriter out() {
        return out;
    }

    /** {@code ttyS0 (…)} or {@code uart (polled) …}: what the console runs on now. */
    public String describe() {
        Terminal terminal = terminals.getService();
        return terminal != null ? terminal.name() : "console UART, polled by the loader (no tty)";
    }

    @Override
    public ConsoleInput.Read next() throws InterruptedException {
        while (true) {
            Terminal terminal = terminal();
            if (terminal == null) {
                ConsoleInput.Read polled = pollLine();
                if (polled != null) {
                    return polled;
                }
                continue; // a tty arrived while polling: read from it
            }
            TerminalInput input = terminal.read();
            if (input instanceof TerminalInput.Hangup && terminals.getService() != terminal) {
                continue; // that tty went away (its bundle stopped or is being swapped), not the line
            }
            if (input instanceof TerminalInput.Hangup && reconnects) {
                awaitNextSession();
                continue; // a session ended (the telnet client left); the console waits for the next one
            }
            return switch (input) {
                case TerminalInput.Line line -> decode(line.bytes());
                case TerminalInput.Interrupt interrupt -> new ConsoleInput.Interrupt();
                case TerminalInput.EndOfFile eof -> new ConsoleInput.EndOfInput();
                case TerminalInput.Hangup hangup -> new ConsoleInput.EndOfInput();
            };
        }
    }

    /**
     * While the host end is away the tty answers every read that finds no
     * finished line with a hangup: read again {@value #SESSION_POLLS_PER_SECOND}
     * times a second, which also takes the lines of a session shorter than that
     * (a {@code printf} into a pipe).
     */
    private void awaitNextSession() throws InterruptedException {
        Thread.sleep(1000 / SESSION_POLLS_PER_SECOND);
    }

    private static ConsoleInput.Read decode(byte[] bytes) {
        return bytes.length > ConsoleInput.MAX_LINE_BYTES
                ? new ConsoleInput.Malformed("line longer than " + ConsoleInput.MAX_LINE_BYTES + " bytes; ignored")
                : ConsoleInput.decode(bytes, bytes.length);
    }

    /** The registered tty, waiting for one an active bundle promises; {@code null} if there is none. */
    private Terminal terminal() throws InterruptedException {
        Terminal terminal = terminals.getService();
        if (terminal == null && terminalPromised()) {
            terminal = terminals.waitForService(wait.toMillis());
        }
        if (terminal != null && terminal != configured) {
            terminal.setEcho(echo);
            configured = terminal;
        }
        return terminal;
    }

    private boolean terminalPromised() {
        for (Bundle bundle : context.getBundles()) {
            String provides = bundle.getHeaders("").get("Provide-Capability");
            if ((bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0 && provides != null
                    && provides.contains(Terminal.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A line from the polled UART, as {@link ConsoleInput} reads a stream;
     * {@code null} if a tty was registered meanwhile (the partial line is
     * dropped: from now on the tty's driver owns the UART).
     */
    private ConsoleInput.Read pollLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            int b = uart.poll();
            if (b == PolledUart.NOTHING) {
                if (!terminals.isEmpty()) {
                    return null;
                }
                LockSupport.parkNanos(PolledUart.POLL_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    return new ConsoleInput.EndOfInput();
                }
                continue;
            }
            if (b == PolledUart.HANGUP || b == '\n' || b == '\r') {
                if (b == PolledUart.HANGUP && line.size() == 0) {
                    return new ConsoleInput.EndOfInput();
                }
                if (tooLong) {
                    return new ConsoleInput.Malformed("line longer than " + ConsoleInput.MAX_LINE_BYTES
                            + " bytes; ignored");
                }
                return ConsoleInput.decode(line.toByteArray(), line.size());
            }
            if (b == 0x03) {
                return new ConsoleInput.Interrupt();
            }
            if (line.size() < ConsoleInput.MAX_LINE_BYTES) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
    }

    @Override
    public void close() {
        out.flush();
        terminals.close();
    }

    /** Text to the current tty, or byte by byte to the polled UART. */
    private final class ConsoleWriter extends Writer {

        private final StringBuilder pending = new StringBuilder();

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            pending.append(chars, offset, length);
        }

        @Override
        public synchronized void flush() {
            if (pending.isEmpty()) {
                return;
            }
            String text = pending.toString();
            pending.setLength(0);
            Terminal terminal = terminals.getService();
            if (terminal != null) {
                terminal.write(text);
                return;
            }
            for (byte b : text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)) {
                uart.transmit(b & 0xff);
            }
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** For tests: how long the console waits for a promised tty. */
    long waitMillis() {
        return TimeUnit.MILLISECONDS.convert(wait);
    }
}

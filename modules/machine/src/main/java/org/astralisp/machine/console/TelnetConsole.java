package org.astralisp.machine.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The console on a telnet port: a server socket on 127.0.0.1 (never another
 * interface: the console is root on the guest), one client at a time
 * (RFC 854; {@link TelnetDecoder} does the protocol). Threads:
 * {@code console-telnet-accept} accepts clients and greets each with WILL ECHO
 * and WILL SUPPRESS-GO-AHEAD; a second client while one is connected is told
 * the console is busy and closed. {@code console-telnet-read} decodes the
 * client's bytes and queues the data for the guest, waiting while the guest
 * has not taken earlier input. {@code console-telnet-write} sends the guest's
 * output with 0xFF doubled (IAC IAC).
 *
 * <p>Carrier ({@link ConsoleBackend}): up while a client is connected (and
 * until the guest has taken what a client that left had sent), down while
 * none is: a client's disconnect is a hangup, the next client's connect
 * raises DCD again.
 *
 * <p>Output while no client is connected is discarded, as on a serial line
 * with nothing plugged in. A client that does not read blocks only the writer
 * thread; the {@value #OUTPUT_CAPACITY}-byte output queue then fills and
 * further output is dropped and counted. Writes to the client are serialised
 * on the connection's output stream (data from the writer, answers from the
 * reader).
 */
public final class TelnetConsole extends QueuedConsole {

    static final String OPTION_PREFIX = "telnet:";
    static final int INPUT_CAPACITY = 4096;
    static final int OUTPUT_CAPACITY = 64 * 1024;
    static final byte[] BUSY = "console busy: another telnet client is connected\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Thread acceptor;
    private final Thread writer;
    private volatile Socket client;

    /**
     * Listens on 127.0.0.1:{@code port} ({@code 0}: a free port, see {@link #port()}).
     *
     * @throws IOException if the port cannot be bound
     */
    public TelnetConsole(int port) throws IOException {
        super(INPUT_CAPACITY, OUTPUT_CAPACITY);
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("telnet port " + port + " is not in 0..65535");
        }
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = Thread.ofPlatform().name("console-telnet-accept").daemon().start(this::acceptClients);
        writer = Thread.ofPlatform().name("console-telnet-write").daemon().start(this::writeOutput);
    }

    /** The port listened on. */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptClients() {
        while (!server.isClosed()) {
            Socket accepted;
            try {
                accepted = server.accept();
            } catch (IOException e) {
                // close() closed the server socket: the loop ends.
                continue;
            }
            if (client != null) {
                refuse(accepted);
            } else {
                greet(accepted);
            }
        }
    }

    private void greet(Socket accepted) {
        try {
            send(accepted, TelnetDecoder.GREETING);
        } catch (IOException e) {
            // The client left before the greeting: it never became the console's client.
            disconnect(accepted);
            return;
        }
        client = accepted;
        hostChanged();
        Thread.ofPlatform().name("console-telnet-read").daemon().start(() -> readClient(accepted));
    }

    private static void refuse(Socket accepted) {
        try (accepted) {
            accepted.getOutputStream().write(BUSY);
        } catch (IOException e) {
            // The refused client left already; its socket is closed by the try.
            return;
        }
    }

    private void readClient(Socket connection) {
        TelnetDecoder decoder = new TelnetDecoder();
        try (connection) {
            InputStream in = connection.getInputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                int data = decoder.decode(b);
                byte[] replies = decoder.takeReplies();
                if (replies.length > 0) {
                    send(connection, replies);
                }
                if (data >= 0 && !deliver((byte) data)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away or was closed by close(): it is disconnected below.
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect(connection);
        }
    }

    private void writeOutput() {
        try {
            for (int b = output.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS); b >= 0;
                    b = output.take(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
                outputTaken();
                Socket connection = client;
                if (connection == null) {
                    continue;
                }
                try {
                    send(connection, b == TelnetDecoder.IAC ? new byte[] {(byte) b, (byte) b} : new byte[] {(byte) b});
                } catch (IOException e) {
                    disconnect(connection);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(Socket connection, byte[] bytes) throws IOException {
        OutputStream out = connection.getOutputStream();
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void disconnect(Socket connection) {
        if (client == connection) {
            client = null;
            hostChanged();
        }
        try {
            connection.close();
        } catch (IOException e) {
            // A socket whose close fails holds nothing more to release.
            return;
        }
    }

    /** The port stays open: the next client is a new session. */
    @Override
    public boolean reconnects() {
        return true;
    }

    @Override
    boolean hostPresent() {
        return client != null;
    }

    /** Stops listening, disconnects the client and stops the threads. */
    @Override
    public void close() {
        closeQueues();
        try {
            server.close();
            Socket connection = client;
            if (connection != null) {
                connection.close();
            }
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (IOException e) {
            throw new UncheckedIOException("closing the telnet console on port " + port(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "telnet console on 127.0.0.1:" + port();
    }
}

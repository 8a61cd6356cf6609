package org.astralisp.machine.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The telnet console on 127.0.0.1, driven by a plain socket as a telnet client would. */
@Timeout(30)
class TelnetConsoleTest {

    private static final int IAC = 255;

    /** A free loopback port: bound to 0 first, then released for the console. */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertEquals(n, bytes.length, "connection ended early");
        return bytes;
    }

    /** Collects what the console delivers to the guest. */
    private static LinkedBlockingQueue<Integer> guestInput(TelnetConsole console) {
        LinkedBlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        console.connect(() -> {
            for (int b = console.poll(); b >= 0; b = console.poll()) {
                received.add(b);
            }
        });
        return received;
    }

    @Test
    void clientIsPutInCharacterModeAndBytesRoundTrip() throws Exception {
        try (TelnetConsole console = new TelnetConsole(freePort());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
            client.setSoTimeout(5000);
            LinkedBlockingQueue<Integer> received = guestInput(console);
            InputStream in = client.getInputStream();
            assertArrayEquals(TelnetDecoder.GREETING, readExactly(in, 6), "WILL ECHO, WILL SUPPRESS-GO-AHEAD");
            client.getOutputStream().write("hi\r\0".getBytes(StandardCharsets.US_ASCII));
            assertEquals('h', received.poll(5, TimeUnit.SECONDS));
            assertEquals('i', received.poll(5, TimeUnit.SECONDS));
            assertEquals('\r', received.poll(5, TimeUnit.SECONDS));
            for (byte b : "ok".getBytes(StandardCharsets.US_ASCII)) {
                console.transmit(b);
            }
            console.transmit((byte) IAC);
            assertArrayEquals(new byte[] {'o', 'k', (byte) IAC, (byte) IAC}, readExactly(in, 4), "0xFF doubled");
        }
    }

    @Test
    void negotiationIsAnsweredAndNotDeliveredAsData() throws Exception {
        try (TelnetConsole console = new TelnetConsole(freePort());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
            client.setSoTimeout(5000);
            LinkedBlockingQueue<Integer> received = guestInput(console);
            InputStream in = client.getInputStream();
            readExactly(in, 6);
            // DO ECHO (agreed), DO TERMINAL-TYPE (24), WILL NAWS (31), SB NAWS ... SE, then data 'z'.
            client.getOutputStream().write(new byte[] {(byte) IAC, (byte) 253, 1, (byte) IAC, (byte) 253, 24,
                (byte) IAC, (byte) 251, 31, (byte) IAC, (byte) 250, 31, 0, 80, 0, 24, (byte) IAC, (byte) 240, 'z'});
            assertArrayEquals(new byte[] {(byte) IAC, (byte) 252, 24, (byte) IAC, (byte) 254, 31}, readExactly(in, 6),
                    "WONT TERMINAL-TYPE, DONT NAWS");
            assertEquals('z', received.poll(5, TimeUnit.SECONDS));
            assertEquals(null, received.poll(100, TimeUnit.MILLISECONDS), "nothing but 'z' was data");
        }
    }

    @Test
    void secondClientIsToldTheConsoleIsBusy() throws Exception {
        try (TelnetConsole console = new TelnetConsole(freePort());
                Socket first = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
            first.setSoTimeout(5000);
            readExactly(first.getInputStream(), 6);
            try (Socket second = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
                second.setSoTimeout(5000);
                assertArrayEquals(TelnetConsole.BUSY, second.getInputStream().readAllBytes());
            }
        }
    }

    @Test
    void aNewClientMayConnectAfterTheFirstLeaves() throws Exception {
        try (TelnetConsole console = new TelnetConsole(freePort())) {
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
                first.setSoTimeout(5000);
                readExactly(first.getInputStream(), 6);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            byte[] greeting = new byte[0];
            while (System.nanoTime() < deadline) {
                try (Socket next = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
                    next.setSoTimeout(5000);
                    greeting = next.getInputStream().readNBytes(6);
                }
                if (greeting[0] == (byte) IAC) {
                    break;
                }
                Thread.sleep(10);
            }
            assertArrayEquals(TelnetDecoder.GREETING, greeting);
        }
    }

    @Test
    void carrierFollowsTheClientAndTheUartIsToldOfEachChange() throws Exception {
        try (TelnetConsole console = new TelnetConsole(freePort())) {
            AtomicInteger told = new AtomicInteger();
            console.connect(told::incrementAndGet);
            assertFalse(console.carrierDetected(), "no client yet");
            for (int round = 1; round <= 2; round++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), console.port())) {
                    client.setSoTimeout(5000);
                    readExactly(client.getInputStream(), 6);
                    awaitCarrier(console, true, "client " + round + " connected");
                }
                awaitCarrier(console, false, "client " + round + " left");
            }
            assertTrue(told.get() >= 4, "told of every connect and disconnect, " + told.get() + " times");
        }
    }

    @Test
    void endOfLineFromALineModeClientIsOneCarriageReturn() throws Exception {
        TelnetDecoder decoder = new TelnetDecoder();
        int[] decoded = "a\r\nb\r\0\n".chars().map(decoder::decode).toArray();
        assertArrayEquals(new int[] {'a', '\r', -1, 'b', '\r', -1, '\n'}, decoded,
                "CR LF and CR NUL are CR; a LF on its own is data");
    }

    private static void awaitCarrier(TelnetConsole console, boolean expected, String when) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (console.carrierDetected() != expected && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(expected, console.carrierDetected(), "carrier when " + when);
    }
}

package org.astralisp.boot.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsoleInputTest {

    private static ConsoleInput input(byte[] bytes) {
        return new ConsoleInput(new ByteArrayInputStream(bytes));
    }

    @Test
    void splitsLinesAndDropsTheCarriageReturn() throws IOException {
        ConsoleInput in = input("bundles\r\nstart 5\nlast".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ConsoleInput.Line("bundles"), in.next());
        assertEquals(new ConsoleInput.Line("start 5"), in.next());
        assertEquals(new ConsoleInput.Line("last"), in.next());
        assertInstanceOf(ConsoleInput.EndOfInput.class, in.next());
    }

    @Test
    void decodesMultibyteUtf8() throws IOException {
        ConsoleInput in = input("install /tmp/λ-ünï.jar\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(new ConsoleInput.Line("install /tmp/λ-ünï.jar"), in.next());
    }

    @Test
    void reportsInvalidUtf8WithTheOffendingByteAndKeepsReading() throws IOException {
        byte[] bytes = {'l', 's', ' ', (byte) 0xC3, '(', '\n', 'o', 'k', '\n'};
        ConsoleInput in = input(bytes);
        ConsoleInput.Read bad = in.next();
        assertEquals(new ConsoleInput.Malformed("input is not valid UTF-8 (byte 0xC3 at offset 3); line ignored"), bad);
        assertEquals(new ConsoleInput.Line("ok"), in.next());
    }

    @Test
    void reportsAnOverlongLineAndKeepsReading() throws IOException {
        byte[] bytes = new byte[ConsoleInput.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[bytes.length - 1] = '\n';
        byte[] withNext = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        withNext[bytes.length] = 'o';
        withNext[bytes.length + 1] = 'k';
        withNext[bytes.length + 2] = '\n';
        ConsoleInput in = input(withNext);
        assertInstanceOf(ConsoleInput.Malformed.class, in.next());
        assertEquals(new ConsoleInput.Line("ok"), in.next());
    }

    @Test
    void randomBytesNeverEscapeAsExceptions() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            ConsoleInput in = input(bytes);
            int reads = 0;
            while (!(in.next() instanceof ConsoleInput.EndOfInput)) {
                reads++;
                if (reads > bytes.length + 1) {
                    throw new AssertionError("more lines than bytes: the reader does not advance");
                }
            }
        }
    }
}

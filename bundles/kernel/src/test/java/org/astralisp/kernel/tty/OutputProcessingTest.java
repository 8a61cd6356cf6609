package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ONLCR: NL goes out as CR NL, nothing else changes. */
class OutputProcessingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachNewlineGetsACarriageReturnBeforeIt() {
        assertArrayEquals(bytes("a\r\nb\r\n\r\n"), OutputProcessing.onlcr(bytes("a\nb\n\n")));
    }

    @Test
    void aCarriageReturnNewlineWrittenGoesOutWithTwoCarriageReturnsAsOnLinux() {
        assertArrayEquals(bytes("x\r\r\n"), OutputProcessing.onlcr(bytes("x\r\n")));
    }

    @Test
    void textWithoutNewlinesIsPassedThroughUnchanged() {
        byte[] text = bytes("€ ok\t\u0007");
        assertSame(text, OutputProcessing.onlcr(text));
    }
}

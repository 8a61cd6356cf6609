package org.astralisp.boot.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsOnWhitespace() {
        assertEquals(List.of("update", "7", "/tmp/x.jar"), CommandLine.split("  update\t7   /tmp/x.jar "));
    }

    @Test
    void quotesGroupAndEscape() {
        assertEquals(List.of("install", "/tmp/my bundle.jar", "say \"hi\"", ""),
                CommandLine.split("install \"/tmp/my bundle.jar\" \"say \\\"hi\\\"\" \"\""));
    }

    @Test
    void aBackslashOutsideQuotesIsLiteral() {
        assertEquals(List.of("a\\b"), CommandLine.split("a\\b"));
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertEquals("unterminated \" in: install \"/tmp/x",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("install \"/tmp/x")).getMessage());
    }
}

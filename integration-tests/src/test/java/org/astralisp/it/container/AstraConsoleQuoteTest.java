package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Words in console lines (ConsoleCommand syntax: double quotes group, \" and \\ escape inside them). */
class AstraConsoleQuoteTest {

    @Test
    void plainWordIsLeftAsItIs() {
        assertEquals("/work/image/bundles/x-1.0.0.jar", AstraConsole.quote("/work/image/bundles/x-1.0.0.jar"));
    }

    @Test
    void wordWithSpacesIsQuoted() {
        assertEquals("\"/tmp/my bundles/x.jar\"", AstraConsole.quote("/tmp/my bundles/x.jar"));
    }

    @Test
    void quotesAndBackslashesInsideAreEscaped() {
        assertEquals("\"a \\\"b\\\" c\\\\d\"", AstraConsole.quote("a \"b\" c\\d"));
    }

    @Test
    void emptyWordIsQuoted() {
        assertEquals("\"\"", AstraConsole.quote(""));
    }
}

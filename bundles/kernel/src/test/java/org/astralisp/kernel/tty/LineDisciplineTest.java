package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.astralisp.boot.spi.TerminalInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical-mode line discipline as pure logic: bytes typed in, echo and inputs out. */
class LineDisciplineTest {

    private final LineDiscipline discipline = new LineDiscipline();
    private final ByteArrayOutputStream echo = new ByteArrayOutputStream();
    private final List<TerminalInput> delivered = new ArrayList<>();
    private boolean refuse;

    private final LineDiscipline.Sink sink = new LineDiscipline.Sink() {
        @Override
        public void echo(byte[] bytes) {
            echo.writeBytes(bytes);
        }

        @Override
        public boolean deliver(TerminalInput input) {
            if (refuse) {
                return false;
            }
            delivered.add(input);
            return true;
        }
    };

    private void type(String text) {
        type(text.getBytes(StandardCharsets.UTF_8));
    }

    private void type(byte[] bytes) {
        for (byte b : bytes) {
            discipline.receive(b, sink);
        }
    }

    private String echoed() {
        return echo.toString(StandardCharsets.UTF_8);
    }

    private String line(int i) {
        TerminalInput.Line line = assertInstanceOf(TerminalInput.Line.class, delivered.get(i));
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    private static String erasures(int columns) {
        return "\b \b".repeat(columns);
    }

    @Test
    void carriageReturnEndsTheLineAndIsEchoedAsNewline() {
        type("hello\r");
        assertEquals(List.of("hello"), List.of(line(0)));
        assertEquals("hello\n", echoed());
        assertEquals(0, discipline.pending().length, "a new line starts");
    }

    @Test
    void newlineEndsTheLineToo() {
        type("a\nb\n");
        assertEquals("a", line(0));
        assertEquals("b", line(1));
        assertEquals("a\nb\n", echoed());
    }

    @Test
    void enterOnAnEmptyLineDeliversAnEmptyLine() {
        type("\r");
        assertEquals("", line(0));
        assertEquals("\n", echoed());
    }

    @ParameterizedTest
    @ValueSource(ints = {LineDiscipline.BS, LineDiscipline.DEL})
    void eraseRemovesTheLastCharacterAndRubsItOut(int key) {
        type("abc");
        type(new byte[] {(byte) key});
        type("d\r");
        assertEquals("abd", line(0));
        assertEquals("abc" + erasures(1) + "d\n", echoed());
    }

    @ParameterizedTest
    @ValueSource(ints = {LineDiscipline.BS, LineDiscipline.DEL})
    void eraseOnAnEmptyLineDoesNothing(int key) {
        type(new byte[] {(byte) key, (byte) key});
        assertEquals("", echoed());
        assertEquals(0, discipline.pending().length);
        assertTrue(delivered.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "€", "😀"})
    void eraseRemovesAWholeUtf8CodePointWithOneColumnRubbedOut(String character) {
        type("a" + character + "\b");
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), discipline.pending());
        assertEquals("a" + character + erasures(1), echoed());
    }

    @Test
    void eraseAfterSeveralMultibyteCharactersTakesThemOneByOne() {
        type("€é😀\b\b\r");
        assertEquals("€", line(0));
    }

    @Test
    void invalidUtf8BytesAreErasedOneAtATime() {
        byte[] typed = {'a', (byte) 0x80, (byte) 0x80, (byte) 0xE2, (byte) 0x82};
        type(typed);
        type("\b");
        assertArrayEquals(new byte[] {'a', (byte) 0x80, (byte) 0x80, (byte) 0xE2}, discipline.pending(),
                "an incomplete sequence: its last byte alone");
        type("\b\b\b");
        assertArrayEquals(new byte[] {'a'}, discipline.pending(), "the lead byte, then one continuation byte each");
    }

    @Test
    void controlCharactersAreEchoedAsCaretLettersAndErasedAsTwoColumns() {
        type("\u001b\t");
        assertEquals("^[^I", echoed());
        type("\b");
        assertEquals("^[^I" + erasures(2), echoed());
        assertArrayEquals(new byte[] {0x1B}, discipline.pending());
    }

    @Test
    void killErasesTheWholeLineOnScreen() {
        type("ab€\u001b");
        type(new byte[] {LineDiscipline.KILL});
        assertEquals(0, discipline.pending().length);
        assertEquals("ab€^[" + erasures(5), echoed(), "a, b, € one column each, ^[ two");
        type("c\r");
        assertEquals("c", line(0));
    }

    @Test
    void killOnAnEmptyLineEchoesNothing() {
        type(new byte[] {LineDiscipline.KILL});
        assertEquals("", echoed());
    }

    @Test
    void interruptDiscardsTheLineAndIsDeliveredWithCaretCAndANewline() {
        type("abc\u0003");
        assertInstanceOf(TerminalInput.Interrupt.class, delivered.get(0));
        assertEquals("abc^C\n", echoed());
        assertEquals(0, discipline.pending().length);
        type("d\r");
        assertEquals("d", line(1));
    }

    @Test
    void endOfFileOnAnEmptyLineIsDeliveredWithoutEcho() {
        type("\u0004");
        assertInstanceOf(TerminalInput.EndOfFile.class, delivered.get(0));
        assertEquals("", echoed());
    }

    @Test
    void endOfFileAfterTextHandsOverTheLineWithoutANewline() {
        type("ab\u0004");
        assertEquals("ab", line(0));
        assertEquals("ab", echoed(), "no newline echoed");
        type("\u0004");
        assertInstanceOf(TerminalInput.EndOfFile.class, delivered.get(1), "the line is empty again");
    }

    @Test
    void withEchoOffNothingIsEchoedButEditingStillWorks() {
        discipline.setEcho(false);
        type("secrex\bt\u0015pass\r\u0003\u001b");
        assertEquals("", echoed());
        assertEquals("pass", line(0));
        assertInstanceOf(TerminalInput.Interrupt.class, delivered.get(1));
        assertEquals(false, discipline.echo());
    }

    @Test
    void echoCanBeTurnedBackOn() {
        discipline.setEcho(false);
        type("a");
        discipline.setEcho(true);
        type("b\r");
        assertEquals("ab", line(0));
        assertEquals("b\n", echoed());
    }

    @Test
    void aCharacterBeyondTheLongestLineIsDroppedWithABell() {
        type("a".repeat(LineDiscipline.MAX_LINE));
        echo.reset();
        type("b");
        assertEquals("\u0007", echoed());
        assertEquals(LineDiscipline.MAX_LINE, discipline.pending().length);
        type("\r");
        assertEquals("a".repeat(LineDiscipline.MAX_LINE), line(0));
    }

    @Test
    void aMultibyteCharacterThatDoesNotFitIsDroppedWhole() {
        type("a".repeat(LineDiscipline.MAX_LINE - 1));
        echo.reset();
        type("€x");
        assertEquals("\u0007x", echoed(), "one bell for the three bytes of €; x fits");
        type("\r");
        assertEquals("a".repeat(LineDiscipline.MAX_LINE - 1) + "x", line(0));
    }

    @Test
    void aLineTheReaderCannotTakeStaysWithABell() {
        type("keep");
        refuse = true;
        type("\r");
        assertEquals("keep\u0007", echoed());
        assertArrayEquals("keep".getBytes(StandardCharsets.UTF_8), discipline.pending());
        type("\u0004\u0003");
        assertEquals("keep\u0007\u0007\u0007", echoed(), "^D and ^C refused too");
        refuse = false;
        type("\r");
        assertEquals("", line(0), "^C had discarded the line even though its event was refused");
    }

    @Test
    void discardLineForgetsWhatWasTyped() {
        type("half");
        discipline.discardLine();
        type("\r");
        assertEquals("", line(0));
    }

    @Test
    void everyByteValueAloneOnALineIsKeptOrActedOn() {
        for (int b = 0; b < 256; b++) {
            delivered.clear();
            discipline.discardLine();
            type(new byte[] {(byte) b});
            type("\r");
            switch (b) {
                case LineDiscipline.INTR -> assertInstanceOf(TerminalInput.Interrupt.class, delivered.get(0));
                case LineDiscipline.EOF -> assertInstanceOf(TerminalInput.EndOfFile.class, delivered.get(0));
                case LineDiscipline.CR, LineDiscipline.NL -> assertEquals(2, delivered.size(), "two empty lines");
                case LineDiscipline.BS, LineDiscipline.DEL, LineDiscipline.KILL -> assertEquals("", line(0));
                default -> assertArrayEquals(new byte[] {(byte) b},
                        ((TerminalInput.Line) delivered.get(0)).bytes(), "byte " + b);
            }
        }
    }
}

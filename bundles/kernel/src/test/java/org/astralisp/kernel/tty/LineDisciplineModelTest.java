package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.astralisp.boot.spi.TerminalInput;
import org.junit.jupiter.api.Test;

/**
 * Random typing with every editing key against a model that knows only the
 * characters of the line, and the echo played on an emulated screen row: after
 * every key, the inputs delivered are the model's and the row shows exactly the
 * line being typed.
 */
class LineDisciplineModelTest {

    /** Keys: characters of 1 to 4 UTF-8 bytes, a control character, and every editing key. */
    private static final String[] KEYS = {"a", "Z", " ", "é", "€", "😀", "\u001b", "\b", "\u007f", "\u0015",
        "\u0003", "\u0004", "\r", "\n"};

    @Test
    void deliveredInputsAndTheScreenFollowTheModelForRandomTyping() {
        Random random = new Random(0x7E1E);
        for (int run = 0; run < 200; run++) {
            LineDiscipline discipline = new LineDiscipline();
            Screen screen = new Screen();
            List<String> delivered = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            List<String> model = new ArrayList<>();
            LineDiscipline.Sink sink = new LineDiscipline.Sink() {
                @Override
                public void echo(byte[] bytes) {
                    screen.play(bytes);
                }

                @Override
                public boolean deliver(TerminalInput input) {
                    delivered.add(describe(input));
                    return true;
                }
            };
            StringBuilder typed = new StringBuilder();
            for (int step = 0; step < 60; step++) {
                String key = KEYS[random.nextInt(KEYS.length)];
                typed.append(key);
                for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
                    discipline.receive(b, sink);
                }
                apply(key, model, expected, screen);
                assertEquals(expected, delivered, "inputs after typing " + printable(typed));
                assertEquals(render(model).stripTrailing(), screen.row(), "screen after typing " + printable(typed));
            }
        }
    }

    @Test
    void randomBytesNeverBreakTheDisciplineOrOverfillTheLine() {
        Random random = new Random(0xF022);
        LineDiscipline discipline = new LineDiscipline();
        int[] delivered = new int[1];
        LineDiscipline.Sink sink = new LineDiscipline.Sink() {
            @Override
            public void echo(byte[] bytes) {
                // Any echo is fine; only the state is checked.
            }

            @Override
            public boolean deliver(TerminalInput input) {
                if (input instanceof TerminalInput.Line line && line.bytes().length > LineDiscipline.MAX_LINE) {
                    throw new AssertionError("a line of " + line.bytes().length + " bytes");
                }
                delivered[0]++;
                return random.nextInt(8) != 0;
            }
        };
        for (int i = 0; i < 1_000_000; i++) {
            // Mostly printable bytes, so that lines often grow to the limit between the control bytes.
            int b = random.nextInt(512) == 0 ? random.nextInt(32) : 0x20 + random.nextInt(224);
            discipline.receive((byte) b, sink);
            if (i % 1000 == 0 && discipline.pending().length > LineDiscipline.MAX_LINE) {
                throw new AssertionError("line of " + discipline.pending().length + " bytes after byte " + i);
            }
        }
        assertEquals(true, delivered[0] > 100, "inputs were delivered: " + delivered[0]);
    }

    /** The model's reaction to one key; the screen only needs to know where a ^D left text. */
    private static void apply(String key, List<String> model, List<String> expected, Screen screen) {
        switch (key) {
            case "\b", "\u007f" -> {
                if (!model.isEmpty()) {
                    model.removeLast();
                }
            }
            case "\u0015" -> model.clear();
            case "\u0003" -> {
                model.clear();
                expected.add("interrupt");
            }
            case "\u0004" -> {
                expected.add(model.isEmpty() ? "eof" : "line " + String.join("", model));
                if (!model.isEmpty()) {
                    screen.continueAfterHandedOverText();
                }
                model.clear();
            }
            case "\r", "\n" -> {
                expected.add("line " + String.join("", model));
                model.clear();
            }
            default -> model.add(key);
        }
    }

    /** What the row shows for the characters typed: control characters as ^X. */
    private static String render(List<String> model) {
        StringBuilder row = new StringBuilder();
        for (String character : model) {
            char c = character.charAt(0);
            row.append(c < 0x20 ? "^" + (char) (c ^ 0x40) : character);
        }
        return row.toString();
    }

    private static String describe(TerminalInput input) {
        return switch (input) {
            case TerminalInput.Line line -> "line " + new String(line.bytes(), StandardCharsets.UTF_8);
            case TerminalInput.Interrupt interrupt -> "interrupt";
            case TerminalInput.EndOfFile eof -> "eof";
            case TerminalInput.Hangup hangup -> "hangup";
        };
    }

    private static String printable(CharSequence typed) {
        StringBuilder out = new StringBuilder();
        typed.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7F ? String.format("<%02x>", c)
                : new String(Character.toChars(c))));
        return out.toString();
    }

    /**
     * One row of a terminal: code points each take a cell, BS moves the
     * cursor left, NL starts a new row. The row's text is its cells up to the
     * last non-blank one. A ^D that hands over a partial line leaves that text
     * on the row with no newline; it is cut off so the next line's row starts
     * after it, as the user sees it.
     */
    private static final class Screen {

        private final List<String> cells = new ArrayList<>();
        private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        private int cursor;

        void play(byte[] bytes) {
            for (byte b : bytes) {
                int value = b & 0xFF;
                if (pendingBytes.size() == 0 && value < 0x80) {
                    control(value);
                    continue;
                }
                pendingBytes.write(value);
                byte[] sequence = pendingBytes.toByteArray();
                if (sequence.length == LineDiscipline.sequenceLength(sequence[0] & 0xFF)) {
                    put(new String(sequence, StandardCharsets.UTF_8));
                    pendingBytes.reset();
                }
            }
        }

        private void control(int value) {
            switch (value) {
                case '\b' -> cursor = Math.max(0, cursor - 1);
                case '\n' -> {
                    cells.clear();
                    cursor = 0;
                }
                default -> put(String.valueOf((char) value));
            }
        }

        private void put(String character) {
            while (cells.size() <= cursor) {
                cells.add(" ");
            }
            cells.set(cursor++, character);
        }

        /** The text a ^D handed over stays where it is; the model's row starts after it. */
        void continueAfterHandedOverText() {
            cells.clear();
            cursor = 0;
        }

        String row() {
            StringBuilder text = new StringBuilder();
            for (String cell : cells) {
                text.append(cell);
            }
            return text.toString().stripTrailing();
        }
    }
}

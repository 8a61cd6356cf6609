package org.astralisp.kernel.tty;

import java.util.Arrays;
import org.astralisp.boot.spi.TerminalInput;

/**
 * The canonical-mode line discipline of a terminal (POSIX.1-2017 XBD §11.1.6
 * "Canonical Mode Input Processing", §11.2.5 special characters), as pure
 * logic: bytes typed go in one at a time, echo bytes and finished input come
 * out. Modes and keys:
 *
 * <ul>
 * <li>ICRNL: CR (0x0D) is taken as NL (0x0A). NL ends the line: it is
 *     delivered as a {@link TerminalInput.Line} without the NL, and NL is echoed.</li>
 * <li>ECHO ({@link #setEcho}, on by default): each byte kept in the line is
 *     echoed as typed; a control character is echoed as {@code ^X} (ECHOCTL,
 *     two columns). With echo off nothing at all is echoed, the editing keys
 *     still edit.</li>
 * <li>ERASE, BS (0x08) or DEL (0x7F): removes the last character — a whole
 *     UTF-8 code point, however many bytes it has — and erases it on screen
 *     with {@code "\b \b"} per column (ECHOE). On an empty line it does nothing.</li>
 * <li>KILL, ^U (0x15): removes the whole line and erases it on screen
 *     character by character (ECHOKE).</li>
 * <li>INTR, ^C (0x03): discards the line, echoes {@code ^C} and a newline and
 *     delivers {@link TerminalInput.Interrupt}.</li>
 * <li>EOF, ^D (0x04): on an empty line delivers {@link TerminalInput.EndOfFile};
 *     otherwise delivers the line typed so far, without a newline (VEOF,
 *     §11.2.5). Not echoed.</li>
 * <li>A line holds at most {@value #MAX_LINE} bytes (Linux's {@code N_TTY_BUF_SIZE}
 *     of 4096 less the newline): a character that does not fit is dropped,
 *     all of its bytes, and a bell (0x07) is echoed.</li>
 * </ul>
 *
 * <p>What the line holds decides what ERASE removes: the last code point is
 * the last byte together with the up to three continuation bytes
 * ({@code 10xxxxxx}) before it, when they follow a lead byte that announces
 * exactly that length (RFC 3629 §3); any other byte, an invalid one included,
 * is a character of its own. This keeps ERASE consistent with what the
 * terminal showed: a valid sequence as one glyph, an invalid byte as one
 * replacement glyph.
 *
 * <p>When the reader's queue refuses an input (it is full: nobody has been
 * reading for a long time) the discipline keeps the line as it is and echoes
 * a bell, so nothing typed is lost silently; Enter can be pressed again once
 * the reader has caught up.
 *
 * <p>Not thread-safe: the tty guards it with its lock. Invariant:
 * {@code 0 <= length <= MAX_LINE}, and {@code line[0, length)} is what was
 * typed and not yet delivered, erased or killed.
 */
final class LineDiscipline {

    /** The longest line in bytes. */
    static final int MAX_LINE = 4095;

    static final int INTR = 0x03;
    static final int EOF = 0x04;
    static final int BS = 0x08;
    static final int NL = 0x0A;
    static final int CR = 0x0D;
    static final int KILL = 0x15;
    static final int DEL = 0x7F;
    static final int BELL = 0x07;

    private static final byte[] ERASE_COLUMN = {'\b', ' ', '\b'};

    /** Where the discipline's results go. */
    interface Sink {

        /** Echo bytes for the terminal, before output processing (NL, not CR NL). */
        void echo(byte[] bytes);

        /** A finished input for the reader; false if the reader's queue is full and refused it. */
        boolean deliver(TerminalInput input);
    }

    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean echo = true;
    /** Continuation bytes still to drop of a character that did not fit. */
    private int dropping;

    void setEcho(boolean on) {
        echo = on;
    }

    boolean echo() {
        return echo;
    }

    /** The bytes of the line being typed. */
    byte[] pending() {
        return Arrays.copyOf(line, length);
    }

    /** Forgets the line being typed, without echo (a hangup flushes it). */
    void discardLine() {
        length = 0;
        dropping = 0;
    }

    /** Takes one typed byte. */
    void receive(byte typed, Sink sink) {
        int b = typed & 0xFF;
        if (dropping > 0 && isContinuation(b)) {
            dropping--;
            return;
        }
        dropping = 0;
        switch (b) {
            case CR, NL -> endLine(sink);
            case BS, DEL -> erase(sink);
            case KILL -> kill(sink);
            case INTR -> interrupt(sink);
            case EOF -> endOfFile(sink);
            default -> keep(b, sink);
        }
    }

    private void endLine(Sink sink) {
        if (!sink.deliver(new TerminalInput.Line(pending()))) {
            echo(sink, BELL);
            return;
        }
        length = 0;
        echo(sink, NL);
    }

    private void endOfFile(Sink sink) {
        TerminalInput input = length == 0 ? new TerminalInput.EndOfFile() : new TerminalInput.Line(pending());
        if (!sink.deliver(input)) {
            echo(sink, BELL);
            return;
        }
        length = 0;
    }

    private void interrupt(Sink sink) {
        length = 0;
        if (!sink.deliver(new TerminalInput.Interrupt())) {
            echo(sink, BELL);
            return;
        }
        if (echo) {
            sink.echo(new byte[] {'^', 'C', NL});
        }
    }

    private void erase(Sink sink) {
        if (length == 0) {
            return;
        }
        int start = lastCharacterStart();
        int columns = columns(start);
        length = start;
        eraseColumns(sink, columns);
    }

    private void kill(Sink sink) {
        int columns = 0;
        while (length > 0) {
            int start = lastCharacterStart();
            columns += columns(start);
            length = start;
        }
        eraseColumns(sink, columns);
    }

    private void keep(int b, Sink sink) {
        int needed = sequenceLength(b);
        if (length + needed > MAX_LINE) {
            // The whole character is dropped: its continuation bytes too, when they come.
            dropping = needed - 1;
            echo(sink, BELL);
            return;
        }
        line[length++] = (byte) b;
        if (!echo) {
            return;
        }
        if (isControl(b)) {
            sink.echo(new byte[] {'^', (byte) (b ^ 0x40)});
        } else {
            sink.echo(new byte[] {(byte) b});
        }
    }

    private void echo(Sink sink, int b) {
        if (echo) {
            sink.echo(new byte[] {(byte) b});
        }
    }

    private void eraseColumns(Sink sink, int columns) {
        if (!echo || columns == 0) {
            return;
        }
        byte[] bytes = new byte[columns * ERASE_COLUMN.length];
        for (int i = 0; i < columns; i++) {
            System.arraycopy(ERASE_COLUMN, 0, bytes, i * ERASE_COLUMN.length, ERASE_COLUMN.length);
        }
        sink.echo(bytes);
    }

    /** Where the last character of the (non-empty) line starts; see the class comment. */
    private int lastCharacterStart() {
        int i = length - 1;
        int continuations = 0;
        while (i > 0 && continuations < 3 && isContinuation(line[i] & 0xFF)) {
            i--;
            continuations++;
        }
        if (continuations > 0 && sequenceLength(line[i] & 0xFF) == continuations + 1) {
            return i;
        }
        return length - 1;
    }

    /** The columns the character at {@code start..length} took on screen: 2 for {@code ^X}, else 1. */
    private int columns(int start) {
        return length - start == 1 && isControl(line[start] & 0xFF) ? 2 : 1;
    }

    /** The bytes of a UTF-8 sequence that starts with {@code b} (RFC 3629 §4); 1 for anything else. */
    static int sequenceLength(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return 2;
        }
        if (b >= 0xE0 && b <= 0xEF) {
            return 3;
        }
        if (b >= 0xF0 && b <= 0xF4) {
            return 4;
        }
        return 1;
    }

    static boolean isContinuation(int b) {
        return (b & 0xC0) == 0x80;
    }

    /** C0 controls and DEL: echoed as {@code ^X} (DEL as {@code ^?}). */
    static boolean isControl(int b) {
        return b < 0x20 || b == DEL;
    }
}

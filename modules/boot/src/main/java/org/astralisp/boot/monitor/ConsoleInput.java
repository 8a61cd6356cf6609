package org.astralisp.boot.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Console lines from a byte stream, decoded as strict UTF-8: a line with an
 * invalid sequence is reported as {@link Malformed} with the offset of the first
 * bad byte, never silently repaired. Lines end at LF; a CR before it is dropped.
 * A line longer than {@link #MAX_LINE_BYTES} is reported as too long.
 */
public final class ConsoleInput implements LineSource {

    public static final int MAX_LINE_BYTES = 64 * 1024;

    /** What one read produced. */
    public sealed interface Read permits Line, Malformed, Interrupt, EndOfInput {
    }

    /** A well-formed line, without its terminator. */
    public record Line(String text) implements Read {
    }

    /** A line that could not be taken; {@code reason} says why. */
    public record Malformed(String reason) implements Read {
    }

    /** ^C typed at the console (the tty's {@code INTR}): the line was discarded. */
    public record Interrupt() implements Read {
    }

    /** The input is closed. */
    public record EndOfInput() implements Read {
    }

    private final InputStream in;

    public ConsoleInput(InputStream in) {
        this.in = in;
    }

    @Override
    public Read next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() < MAX_LINE_BYTES) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        if (b == -1 && line.size() == 0) {
            return new EndOfInput();
        }
        if (tooLong) {
            return new Malformed("line longer than " + MAX_LINE_BYTES + " bytes; ignored");
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        return decode(bytes, length);
    }

    /** {@code bytes[0..length)} as a {@link Line}, or {@link Malformed} naming the first byte that is not UTF-8. */
    public static Read decode(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        try {
            return new Line(decoder.decode(buffer).toString());
        } catch (CharacterCodingException e) {
            int offset = firstInvalidOffset(bytes, length);
            return new Malformed(String.format("input is not valid UTF-8 (byte 0x%02X at offset %d); line ignored",
                    bytes[offset] & 0xff, offset));
        }
    }

    /** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
    private static int firstInvalidOffset(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(length + 1);
        decoder.decode(in, out, true);
        return Math.min(in.position(), length - 1);
    }
}

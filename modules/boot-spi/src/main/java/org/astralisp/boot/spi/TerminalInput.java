package org.astralisp.boot.spi;

/** What one {@link Terminal#read()} produced. */
public sealed interface TerminalInput {

    /**
     * A line typed and ended with Enter, without its terminator, as raw bytes
     * (the reader decodes them and reports input that is not UTF-8).
     */
    record Line(byte[] bytes) implements TerminalInput {

        public Line {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** ^C (the {@code INTR} character): the line being typed is discarded. */
    record Interrupt() implements TerminalInput {
    }

    /** ^D on an empty line (the {@code EOF} character): the user ends input. */
    record EndOfFile() implements TerminalInput {
    }

    /** The line went away (carrier lost: the host end of the serial line closed). No more input follows. */
    record Hangup() implements TerminalInput {
    }
}

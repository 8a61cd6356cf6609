package org.astralisp.machine.console;

import java.io.ByteArrayOutputStream;

/**
 * The receiving half of a minimal telnet server (RFC 854, with the option
 * negotiation rules of RFC 855 and the options ECHO, RFC 857, and
 * SUPPRESS-GO-AHEAD, RFC 858): separates the data a client sends from its
 * commands and answers its option requests.
 *
 * <p>The server offers WILL ECHO and WILL SUPPRESS-GO-AHEAD at connect
 * ({@link #GREETING}), which puts a telnet client in character-at-a-time mode
 * with the guest echoing. Answers: DO ECHO / DO SGA are acknowledgements of
 * the offer and get no answer (RFC 854: never acknowledge a mode already in
 * force); DO anything else gets WONT; WILL SGA gets DO SGA once; WILL anything
 * else gets DONT; WONT and DONT get nothing. Subnegotiations (IAC SB … IAC SE)
 * and other commands (NOP, GA, AYT…) are skipped. IAC IAC is a data 0xFF. A
 * CR followed by NUL (RFC 854's bare carriage return) and a CR followed by
 * LF (RFC 854's end of line, which a client in line mode sends for Enter)
 * are both one data CR: the key a terminal's Return sends, as BSD telnetd
 * hands it to the tty.
 *
 * <p>Not thread-safe: one decoder per connection, used by its reader thread.
 */
final class TelnetDecoder {

    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int SE = 240;
    static final int ECHO = 1;
    static final int SUPPRESS_GO_AHEAD = 3;
    private static final int CR = '\r';

    /** IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD. */
    static final byte[] GREETING = {(byte) IAC, (byte) WILL, ECHO, (byte) IAC, (byte) WILL, SUPPRESS_GO_AHEAD};

    private enum State { DATA, COMMAND, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC, AFTER_CR }

    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();
    private State state = State.DATA;
    private int verb;
    private boolean sgaAccepted;

    /**
     * Feeds one byte from the client.
     *
     * @return the data byte (0..255) it is, or -1 if it is part of a command
     */
    int decode(int b) {
        switch (state) {
            case DATA, AFTER_CR -> {
                boolean afterCr = state == State.AFTER_CR;
                state = State.DATA;
                if (b == IAC) {
                    state = State.COMMAND;
                    return -1;
                }
                if (afterCr && (b == 0 || b == '\n')) {
                    return -1;
                }
                if (b == CR) {
                    state = State.AFTER_CR;
                }
                return b;
            }
            case COMMAND -> {
                return command(b);
            }
            case OPTION -> {
                state = State.DATA;
                answer(verb, b);
                return -1;
            }
            case SUBNEGOTIATION -> {
                if (b == IAC) {
                    state = State.SUBNEGOTIATION_IAC;
                }
                return -1;
            }
            default -> {
                state = b == SE ? State.DATA : State.SUBNEGOTIATION;
                return -1;
            }
        }
    }

    private int command(int b) {
        state = State.DATA;
        if (b == IAC) {
            return IAC;
        }
        if (b >= WILL && b <= DONT) {
            verb = b;
            state = State.OPTION;
        } else if (b == SB) {
            state = State.SUBNEGOTIATION;
        }
        return -1;
    }

    private void answer(int request, int option) {
        if (request == DO && option != ECHO && option != SUPPRESS_GO_AHEAD) {
            reply(WONT, option);
        } else if (request == WILL && option == SUPPRESS_GO_AHEAD) {
            if (!sgaAccepted) {
                sgaAccepted = true;
                reply(DO, option);
            }
        } else if (request == WILL) {
            reply(DONT, option);
        }
    }

    private void reply(int answer, int option) {
        replies.write(IAC);
        replies.write(answer);
        replies.write(option);
    }

    /** The answers owed to the client since the last call; empty if none. */
    byte[] takeReplies() {
        byte[] owed = replies.toByteArray();
        replies.reset();
        return owed;
    }
}

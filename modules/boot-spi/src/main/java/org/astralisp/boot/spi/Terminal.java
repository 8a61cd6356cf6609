package org.astralisp.boot.spi;

/**
 * The system console as the kernel's tty layer offers it (a service): the
 * console UART under a line discipline. The boot monitor, and later the Lisp
 * listener, read lines from it and write text to it.
 *
 * <p>Input is cooked: the tty echoes (while echo is on), applies backspace
 * and ^U to the line being typed, and hands over a whole line when Enter is
 * pressed. ^C and ^D are events, not characters. Output is processed as a
 * terminal wants it: LF goes out as CR LF.
 *
 * <p>Threads: any thread may write; one reader at a time.
 */
public interface Terminal {

    /** The terminal's name ({@code ttyS0}) and what drives it ({@code uart0 at 0x10000000}). */
    String name();

    /**
     * Blocks until a line is complete or an event happens.
     *
     * @throws InterruptedException if the reading thread is interrupted
     */
    TerminalInput read() throws InterruptedException;

    /** Writes {@code text} as UTF-8; never blocks for long (the UART drains its buffer by interrupts). */
    void write(String text);

    /** Turns echo of typed characters on or off (termios {@code ECHO}). */
    void setEcho(boolean echo);
}

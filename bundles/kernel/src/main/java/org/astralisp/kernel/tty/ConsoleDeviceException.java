package org.astralisp.kernel.tty;

/**
 * The device tree does not describe a console UART this driver can run: no
 * {@code /chosen/stdout-path}, a node that is not an {@code ns16550a}, or a
 * property it needs missing or malformed. The message names the node, the
 * property and what is wrong.
 */
final class ConsoleDeviceException extends Exception {

    private static final long serialVersionUID = 1L;

    ConsoleDeviceException(String message) {
        super(message);
    }

    ConsoleDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.astralisp.machine.port;

/**
 * A bus error: an access to an address nothing decodes, or one a device
 * refuses. The message names the address, the width and the access.
 */
public class MachineCheckException extends RuntimeException {

    public MachineCheckException(String message) {
        super(message);
    }
}

package org.astralisp.machine;

/**
 * The machine cannot be built as configured: a value out of the platform's
 * range, or memory the host cannot give. The message names the offending
 * value and the limit, fit for a one-line boot failure.
 */
public class MachineException extends RuntimeException {

    public MachineException(String message) {
        super(message);
    }
}

package org.astralisp.machine.memory;

/**
 * The host cannot give the memory asked for: more than its physical memory, or
 * a mapping the host kernel refused (the message carries the errno).
 */
public class HostMemoryException extends RuntimeException {

    public HostMemoryException(String message) {
        super(message);
    }
}

package org.astralisp.boot.spi;

/** No instance of a service appeared within the time a caller was willing to wait. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}

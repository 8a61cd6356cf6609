package org.astralisp.boot.spi;

/**
 * Thrown by a call on a service instance that has been quiesced for a hot swap.
 * The call did nothing; the caller should make it again on the successor
 * ({@link SwapSafeService} does so).
 */
public class ServiceQuiescedException extends IllegalStateException {

    public ServiceQuiescedException(String handoverKey) {
        super(handoverKey + " is being handed over to a new version; retry on its successor");
    }
}

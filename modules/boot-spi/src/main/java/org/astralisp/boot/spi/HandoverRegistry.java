package org.astralisp.boot.spi;

import java.util.Optional;

/**
 * Where the hot-swap coordinator leaves the state of a quiesced component for its
 * successor. Registered by the loader as an OSGi service.
 *
 * <p>Invariant: a deposited state is handed out at most once; a component that
 * activates when no swap left anything for its key gets {@link Optional#empty()}
 * and starts from its initial state.
 */
public interface HandoverRegistry {

    /** Takes the state deposited under {@code key}, if any; later calls see none. */
    Optional<HandoverState> claim(String key);
}

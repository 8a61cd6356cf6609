package org.astralisp.boot.framework;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.astralisp.boot.spi.HandoverRegistry;
import org.astralisp.boot.spi.HandoverState;

/**
 * The loader's {@link HandoverRegistry}: states left by quiesced components,
 * waiting for their successors. {@code claim} removes, so each state is handed
 * out once (the registry's invariant).
 */
public final class DepositedHandovers implements HandoverRegistry {

    private final Map<String, HandoverState> deposits = new ConcurrentHashMap<>();

    void deposit(String key, HandoverState state) {
        deposits.put(key, state);
    }

    @Override
    public Optional<HandoverState> claim(String key) {
        return Optional.ofNullable(deposits.remove(key));
    }

    /** Keys whose state no successor has claimed yet. */
    public Set<String> pending() {
        return Set.copyOf(deposits.keySet());
    }
}

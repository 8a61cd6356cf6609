package org.astralisp.kernel.vm;

import java.util.BitSet;
import java.util.function.IntConsumer;
import org.astralisp.kernel.api.irq.CrossCall;

/**
 * The cross-call the VMM's shootdowns go through while its component runs: the interrupt framework's
 * when one is registered, else the {@link LocalCrossCall} fallback. The switch is a volatile write,
 * so each shootdown uses one or the other whole; either leaves no stale entry behind when it returns.
 */
final class ReplaceableCrossCall implements CrossCall {

    private final CrossCall fallback;
    private volatile CrossCall current;

    ReplaceableCrossCall(CrossCall fallback) {
        this.fallback = fallback;
        this.current = fallback;
    }

    void use(CrossCall crossCall) {
        current = crossCall;
    }

    /** Goes back to the fallback if {@code crossCall} is the one in use. */
    void drop(CrossCall crossCall) {
        if (current == crossCall) {
            current = fallback;
        }
    }

    boolean local() {
        return current == fallback;
    }

    @Override
    public void runOn(BitSet cpus, IntConsumer action) {
        current.runOn(cpus, action);
    }
}

package org.astralisp.kernel.vm;

import java.util.BitSet;
import java.util.function.IntConsumer;
import org.astralisp.kernel.api.irq.CrossCall;

/**
 * The VMM's shootdown when no interrupt framework is registered: runs the action for every target
 * CPU on the calling thread, one after the other.
 *
 * <p>This is exact for the software TLB, which any thread may change under the TLB's lock: when it
 * returns, no target CPU holds the invalidated entries, and an access a target had in flight (holding
 * its TLB's lock) has finished. What it lacks against the IPI-based cross-call is only the model of
 * the real thing: the action does not run on the target's vCPU thread, in its interrupt context.
 */
final class LocalCrossCall implements CrossCall {

    private final int cpus;

    LocalCrossCall(int cpus) {
        this.cpus = cpus;
    }

    /**
     * @throws IllegalArgumentException naming a CPU outside {@code 0..cpus-1}, before running anything
     */
    @Override
    public void runOn(BitSet targets, IntConsumer action) {
        if (targets.length() > cpus) {
            throw new IllegalArgumentException("no CPU " + (targets.length() - 1) + ": CPUs are 0.." + (cpus - 1));
        }
        targets.stream().forEach(action);
    }
}

package org.astralisp.kernel.api.irq;

import java.util.BitSet;
import java.util.function.IntConsumer;

/**
 * Runs a function on other CPUs, as Linux's {@code smp_call_function_many}: the
 * caller sends an inter-processor interrupt to each target and waits until
 * every target has run the function in interrupt context. The calling CPU, if
 * it is a target, runs the function itself. Used for TLB shootdown.
 */
public interface CrossCall {

    /**
     * Runs {@code action.accept(cpu)} on each CPU in {@code cpus} and returns when all have.
     *
     * @throws IllegalArgumentException naming a CPU that does not exist
     * @throws CpuStoppedException (since 1.1.0) if the interrupt framework is not
     *         running on a target (stopped for a hot swap): the action is not run
     *         there, since it may depend on running on that CPU
     * @throws IllegalStateException (since 1.1.0) if the action threw on a target,
     *         after every target ran it; the cause is what it threw
     */
    void runOn(BitSet cpus, IntConsumer action);
}

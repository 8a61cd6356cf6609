package org.astralisp.kernel.api.irq;

/** Work an interrupt handler defers; see {@link InterruptManager#deferredWork}. */
public interface DeferredWork {

    /**
     * Asks for the work to run on the calling CPU. From an interrupt handler it
     * runs once the handler's interrupt is completed; from a vCPU outside
     * interrupt context, at once; from a thread that is not a vCPU, on CPU 0
     * (delivered by an IPI).
     */
    void schedule();
}

package org.astralisp.kernel.api.irq;

/** Work an interrupt handler defers; see {@link InterruptManager#deferredWork}. */
public interface DeferredWork {

    /**
     * Asks for the work to run on the calling CPU. From an interrupt handler it
     * runs once the handler's interrupt is completed; from a vCPU outside
     * interrupt context, at once; from a thread that is not a vCPU, on CPU 0
     * (its idle loop is woken: {@code Cpu.wake()}, since a thread that is not a
     * vCPU cannot send an IPI on every machine).
     *
     * @throws CpuStoppedException (since 1.1.0) if the framework is not running on that CPU
     */
    void schedule();
}

package org.astralisp.machine.cpu;

/**
 * An input of a vCPU's interrupt logic: the local APIC's INTR on x86_64; the
 * external, software and timer bits of {@code mip} on riscv64 (driven by the
 * PLIC and the CLINT); the external, decrementer and doorbell exceptions on
 * ppc64. A vCPU asks its sources, in the architecture's priority order, which
 * one is pending, and acknowledges that one to learn the cause it delivers.
 *
 * <p>Thread safety: {@link #pending()} and {@link #acknowledge()} are called on
 * the vCPU's thread while the controller's own state may change on device
 * threads; implementations synchronise internally. After a source becomes
 * pending, its controller calls {@link VirtualCpuSignals#kick()} so that a
 * halted vCPU wakes.
 */
public interface InterruptSource {

    /** Whether this source requests an interrupt now. */
    boolean pending();

    /**
     * Takes the interrupt: returns the architectural cause delivered to the
     * OS (see {@link org.astralisp.machine.port.InterruptEntry}). For the x86
     * local APIC this is the interrupt-acknowledge cycle (the vector moves from
     * IRR to ISR); for a level source it changes nothing, and the OS clears the
     * condition through the device's registers.
     */
    long acknowledge();
}

package org.astralisp.machine.port;

/**
 * The OS's interrupt entry point on a vCPU, called on that vCPU's thread with
 * interrupts disabled.
 *
 * <p>{@code cause} is architectural: on x86_64 the vector (32..255 for external
 * interrupts and IPIs, as the local APIC delivers them); on riscv64 the
 * {@code scause} value (interrupt bit set; code 1 software, 5 timer, 9
 * external); on ppc64 the interrupt vector offset (0x500 external, 0x900
 * decrementer, 0xA00 doorbell).
 */
@FunctionalInterface
public interface InterruptEntry {

    void interrupt(Cpu cpu, long cause);
}

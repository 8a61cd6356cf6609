package org.astralisp.machine.port;

/**
 * The OS's interrupt entry point on a vCPU, called on that vCPU's thread with
 * interrupts disabled.
 *
 * <p>{@code cause} is architectural: on x86_64 the vector (32..255 for external
 * interrupts and IPIs, as the local APIC delivers them); on riscv64 the
 * {@code mcause} value — the OS runs in M-mode on this machine (docs/interrupts.md)
 * — with the interrupt bit (bit 63) set and code 11 machine external, 3 machine
 * software, 7 machine timer (9, 1, 5 for the supervisor-level sources, which are
 * not delegated); on ppc64 the interrupt vector offset (0x500 external, 0x900
 * decrementer).
 */
@FunctionalInterface
public interface InterruptEntry {

    void interrupt(Cpu cpu, long cause);
}

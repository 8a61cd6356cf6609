package org.astralisp.machine.cpu;

/**
 * A system register of one vCPU (an MSR, a CSR, an SPR), implemented by the
 * model that owns it: the TSC-deadline MSR by the local APIC timer, the
 * decrementer SPR by the decrementer.
 */
public interface SystemRegister {

    long read();

    void write(long value);
}

package org.astralisp.machine.port;

/**
 * One virtual CPU: a host thread owned by the machine that runs the code the OS
 * starts on it, takes interrupts, and halts when idle.
 *
 * <p>Interrupts are taken only on the vCPU's own thread, at the two places real
 * code can take them in this model: in {@link #waitForInterrupt()} (the idle
 * halt: {@code hlt}, {@code wfi}, {@code wait}) and in {@link #pollInterrupts()}
 * (a safepoint that compiled code and the kernel call). A pending interrupt is
 * taken only while interrupts are enabled; it is delivered by calling the
 * {@link InterruptEntry} with interrupts disabled, as the hardware does, and
 * they are enabled again when the entry returns.
 *
 * <p>Which interrupt is pending is the interrupt controller's business (local
 * APIC, PLIC/CLINT, XIVE): the entry receives an architectural cause and asks
 * the controller, through its registers, what to do.
 */
public interface Cpu {

    /** The CPU number in the device tree ({@code reg} of its {@code /cpus} node). */
    int id();

    /**
     * Starts the vCPU running {@code entry} on its thread (the firmware's jump
     * to the kernel). A vCPU starts once.
     *
     * @throws IllegalStateException if it was started already
     */
    void start(Runnable entry);

    /** Where interrupts go. Set before enabling interrupts. */
    void setInterruptEntry(InterruptEntry entry);

    /** Enables interrupts ({@code sti}, {@code csrs sstatus.SIE}, {@code mtmsrd EE=1}). Own thread only. */
    void enableInterrupts();

    /** Disables interrupts; returns whether they were enabled. Own thread only. */
    boolean disableInterrupts();

    boolean interruptsEnabled();

    /**
     * Halts until an interrupt is pending, takes it if interrupts are enabled,
     * and returns. Costs no host CPU while halted. Own thread only.
     */
    void waitForInterrupt();

    /** Takes any pending interrupt now (a safepoint). Own thread only; cheap when none is pending. */
    void pollInterrupts();

    /**
     * Reads a system register: an MSR on x86_64, a CSR on riscv64, an SPR on
     * ppc64, by its architectural number.
     *
     * @throws MachineCheckException for a register the model does not implement
     */
    long readSystemRegister(int number);

    /** Writes a system register; see {@link #readSystemRegister}. */
    void writeSystemRegister(int number, long value);
}

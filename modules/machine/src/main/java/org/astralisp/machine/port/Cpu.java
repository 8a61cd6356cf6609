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
 * <p>Life cycle: a vCPU is STOPPED until {@link #start} makes it RUNNING on a
 * fresh host thread; when the entry returns (or throws), the vCPU is STOPPED
 * again, with interrupts disabled, and may be started again, with the same or
 * another entry. This is RISC-V SBI HSM's {@code hart_start}/{@code hart_stop}
 * (SBI v2.0 §9) and x86's INIT–SIPI (Intel SDM Vol. 3A §9.4.4), and what lets
 * the kernel bundle be stopped and updated while the machine runs: the old
 * kernel's code returns from every vCPU, the new one starts them again. The
 * interrupt controllers' state, pending interrupts included, survives a stop.
 * Power-off ({@code Machine.close()}) ends a vCPU for good.
 *
 * <p>Which interrupt is pending is the interrupt controller's business (local
 * APIC, PLIC/CLINT, XIVE): the entry receives an architectural cause and asks
 * the controller, through its registers, what to do.
 */
public interface Cpu {

    /** The CPU number in the device tree ({@code reg} of its {@code /cpus} node). */
    int id();

    /**
     * Starts the STOPPED vCPU running {@code entry} on a new host thread
     * {@code vcpuN} (the firmware's jump to the kernel), with interrupts
     * disabled. When {@code entry} returns the vCPU is STOPPED again.
     *
     * @throws IllegalStateException if it is running (its entry has not
     *         returned yet) or the machine is powered off
     */
    void start(Runnable entry);

    /**
     * Whether the vCPU is RUNNING: started, and its entry has not returned yet
     * (SBI HSM {@code hart_get_status}). Once it reports false, {@link #start}
     * succeeds. Any thread.
     */
    boolean running();

    /**
     * A wake-up event: the vCPU's current {@link #waitForInterrupt()}, or its
     * next one, returns without taking an interrupt (as a RISC-V {@code wfi}
     * may, privileged spec §3.3.3). Wake-ups do not queue: several before a
     * wait end one wait. A vCPU that is not halted is not disturbed. Any
     * thread: this is how a thread that is not a vCPU gets a halted vCPU's
     * attention, where it cannot send an IPI (x86: the local APIC is reached
     * from a CPU only). A start discards a wake-up left from the previous run.
     */
    void wake();

    /** Where interrupts go. Set before enabling interrupts. */
    void setInterruptEntry(InterruptEntry entry);

    /** Enables interrupts ({@code sti}, {@code csrs sstatus.SIE}, {@code mtmsrd EE=1}). Own thread only. */
    void enableInterrupts();

    /** Disables interrupts; returns whether they were enabled. Own thread only. */
    boolean disableInterrupts();

    boolean interruptsEnabled();

    /**
     * Halts until an interrupt is pending, takes it if interrupts are enabled,
     * and returns; or returns on a {@link #wake()}. Costs no host CPU while
     * halted. Own thread only.
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

package org.astralisp.hal.api.irq;

/**
 * The machine's device interrupt controller together with the per-CPU
 * interrupt logic (local APIC, PLIC contexts and CLINT {@code msip}, XIVE thread
 * contexts).
 *
 * <p>Priorities are uniform across architectures: a line has a priority
 * {@code 1..maxPriority()}, higher is more urgent, and each CPU has a threshold
 * {@code 0..maxPriority()}: a line is delivered to a CPU only while its priority
 * is above that CPU's threshold (0 lets every line through). Timer interrupts
 * and IPIs are not subject to the threshold. Each driver maps this onto its
 * chip (vector classes and the TPR, PLIC priorities and thresholds, XIVE
 * priorities and the CPPR) and documents how.
 *
 * <p>Threads: line configuration ({@link #configure}, {@link #setPriority},
 * {@link #route}, {@link #enable}, {@link #disable}) may be called from any
 * thread. {@link #initializeCpu}, {@link #setThreshold}, {@link #claim} and
 * {@link #complete} touch the per-CPU logic and are called on that CPU's own
 * thread (a vCPU); {@link #sendIpi} is called on a vCPU thread.
 *
 * <p>A line starts disabled, at priority 1, edge-triggered, routed to CPU 0.
 */
public interface InterruptController {

    /** The controller's name, as the monitor shows it ({@code ioapic+lapic}, {@code plic+clint}, {@code xive}). */
    String name();

    /** The number of CPUs; CPUs are {@code 0..cpus()-1}. */
    int cpus();

    int firstLine();

    int lastLine();

    /** The most urgent priority; the least urgent is 1. */
    int maxPriority();

    /** Sets how {@code line} signals. */
    void configure(int line, Trigger trigger);

    void setPriority(int line, int priority);

    /** Delivers {@code line} to {@code cpu} only (affinity). */
    void route(int line, int cpu);

    /** Unmasks {@code line}. */
    void enable(int line);

    /** Masks {@code line}: it is not delivered until enabled again. */
    void disable(int line);

    /**
     * Prepares the calling CPU's part of the controller (software enable,
     * threshold 0, interrupt-enable bits) so that it can take interrupts. Call
     * once per CPU, on that CPU, before enabling its interrupts.
     */
    void initializeCpu(int cpu);

    /** Delivers to {@code cpu} only lines whose priority is above {@code threshold}. On that CPU. */
    void setThreshold(int cpu, int threshold);

    /**
     * Takes the interrupt that {@code cause} (the architectural cause the
     * interrupt entry received) announces on {@code cpu}. The caller must
     * {@link #complete} it, whatever its kind.
     */
    Interrupt claim(int cpu, long cause);

    /** Ends {@code interrupt} (EOI, PLIC completion, XIVE EOI): the line may be delivered again. */
    void complete(int cpu, Interrupt interrupt);

    /** Interrupts {@code cpu}; it claims an {@link InterruptKind#IPI}. */
    void sendIpi(int cpu);
}

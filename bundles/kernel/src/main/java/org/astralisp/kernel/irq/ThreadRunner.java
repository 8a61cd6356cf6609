package org.astralisp.kernel.irq;

/**
 * What a CPU's idle loop runs between halts: the scheduler's next thread
 * (docs/kernel.md, "The vCPU executor"). The idle loop stays the one place a
 * vCPU halts: it asks the runner for a thread, and halts only when the runner
 * had none.
 */
public interface ThreadRunner {

    /**
     * Runs the CPU's next runnable thread until it yields, blocks or ends. On
     * the CPU's own thread, outside interrupt context, with interrupts enabled.
     *
     * @return false if there was none: the idle loop may halt. A thread made
     *         runnable after that answer wakes the CPU ({@code Cpu.wake()}), so
     *         the halt that follows returns at once.
     */
    boolean runNext();

    /**
     * The idle loop wants the CPU back (a cross call or deferred work posted by
     * a thread that is not a vCPU, or a stop): the running thread yields at its
     * next safepoint. Any thread.
     */
    void requestReschedule();
}

package org.astralisp.kernel.api.irq;

/**
 * The kernel's interrupt framework, a service once every vCPU takes interrupts.
 */
public interface InterruptManager {

    /** The number of CPUs; CPUs are {@code 0..cpus()-1}. */
    int cpus();

    /** The most urgent priority a request may ask for; the least urgent is 1. */
    int maxPriority();

    /**
     * Installs {@code handler} for the request's line: configures the trigger
     * and priority, routes the line to the request's CPU and unmasks it. Level
     * lines may be shared by several handlers with the same trigger (every
     * handler of the line is called for each interrupt); an edge line has one.
     *
     * @throws InterruptRequestException naming the line and the reason: a line
     *         the controller does not have, a priority or CPU out of range, an
     *         edge line already taken, a trigger that differs from the line's
     *         other handlers
     */
    InterruptRegistration request(InterruptRequest request, InterruptHandler handler);

    /**
     * Deferred work (a bottom half): {@code work} runs on the CPU that
     * {@link DeferredWork#schedule() schedules} it, after the interrupt
     * handlers of the current interrupt have returned and the line has been
     * completed, with interrupts enabled. Scheduling it again before it has run
     * runs it once.
     */
    DeferredWork deferredWork(String name, Runnable work);

    /** Runs code on other CPUs through inter-processor interrupts. */
    CrossCall crossCall();
}

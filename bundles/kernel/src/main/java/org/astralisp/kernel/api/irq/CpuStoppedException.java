package org.astralisp.kernel.api.irq;

/**
 * A cross call, deferred work or per-CPU request for a CPU on which the
 * interrupt framework is not running: it was stopped (the kernel bundle is
 * being stopped or updated, docs/interrupts.md "Hot swap") or never started.
 * The message names the CPUs.
 */
public class CpuStoppedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public CpuStoppedException(String message) {
        super(message);
    }
}

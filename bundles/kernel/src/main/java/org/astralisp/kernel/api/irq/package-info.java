/**
 * The kernel's interrupt framework: device-line handlers dispatched on the
 * vCPUs, masking, priorities, affinity, per-line per-CPU counters, deferred
 * work (the bottom half) and cross-calls between CPUs (IPIs).
 *
 * <p>Lines are the interrupt controller's line numbers, as the device tree's
 * interrupt specifiers name them; priorities follow
 * {@link org.astralisp.hal.api.irq.InterruptController}: {@code 1..max}, higher
 * is more urgent.
 *
 * <p>1.1.0 adds {@link org.astralisp.kernel.api.irq.CpuInterrupts} (per-CPU
 * thresholds, timer-interrupt listeners) and
 * {@link org.astralisp.kernel.api.irq.CpuStoppedException}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.astralisp.kernel.api.irq;

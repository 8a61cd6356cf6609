/**
 * Interrupt controllers and per-CPU timers, as the kernel sees them on every
 * architecture (ARCHITECTURE §2; docs/hal.md, "Interrupt controllers and timers").
 *
 * <p>The active arch bundle registers one {@link org.astralisp.hal.api.irq.InterruptController}
 * and one {@link org.astralisp.hal.api.irq.Timer} per CPU (service property {@code cpu.id}),
 * each with the service property {@code arch}. Drivers reach the hardware only through the
 * machine's ports: registers found in the device tree, and the CPU's system registers.
 *
 * <p>Interrupt flow on a CPU: the machine calls the OS's interrupt entry with an
 * architectural cause; the kernel calls {@link org.astralisp.hal.api.irq.InterruptController#claim}
 * with it, handles the {@link org.astralisp.hal.api.irq.Interrupt} it gets, and calls
 * {@link org.astralisp.hal.api.irq.InterruptController#complete} with the same value.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.irq;

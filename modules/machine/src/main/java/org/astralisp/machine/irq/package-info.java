/**
 * Interrupt controllers and timers of the three platforms, and what they share.
 *
 * <ul>
 *   <li>{@code irq.x86}: the local APIC per CPU (xAPIC page, APIC timer with one-shot, periodic
 *       and TSC-deadline modes), the 82093AA-style I/O APIC, the APIC bus between them;</li>
 *   <li>{@code irq.riscv}: the PLIC (RISC-V PLIC specification 1.0.0), the CLINT
 *       (msip, mtimecmp, mtime) and each hart's {@code mip}/{@code mie};</li>
 *   <li>{@code irq.ppc}: the time base, the decrementer per CPU and a XIVE-like controller.</li>
 * </ul>
 *
 * <p>The contract with a vCPU is three interfaces of {@code org.astralisp.machine.cpu}: a
 * controller hands each vCPU an ordered list of {@link org.astralisp.machine.cpu.InterruptSource}s
 * (the architecture's priority order, highest first) and a map of
 * {@link org.astralisp.machine.cpu.SystemRegister}s, and calls
 * {@link org.astralisp.machine.cpu.VirtualCpuSignals#kick()} whenever one of those sources may
 * have become pending. {@link org.astralisp.machine.irq.InterruptPlatform} collects the three for
 * the machine assembly; {@code docs/interrupts.md} has the register maps.
 *
 * <p>Locking rule for every class here: each controller guards its state with its own monitor;
 * a controller never calls {@code kick()} while holding a monitor (so a vCPU may hold its own lock
 * while it polls sources), and where two controllers talk (I/O APIC to local APIC) the order is
 * fixed and written in the class comment.
 *
 * <p>Time: every counter is {@link System#nanoTime()} scaled to its frequency
 * ({@link org.astralisp.machine.irq.TickClock}); deadlines are kept by one
 * {@link org.astralisp.machine.irq.TimerScheduler} thread per machine, which sleeps while no
 * timer is armed.
 */
package org.astralisp.machine.irq;

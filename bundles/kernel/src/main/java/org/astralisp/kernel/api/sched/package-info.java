/**
 * Kernel threads on the vCPUs (ARCHITECTURE §4, docs/kernel.md "The vCPU
 * executor"): the {@link org.astralisp.kernel.api.sched.KernelThread} handle,
 * the {@link org.astralisp.kernel.api.sched.Safepoint} that compiled code and
 * the kernel poll for preemption, and
 * {@link org.astralisp.kernel.api.sched.WaitQueue}, the one way a kernel thread
 * blocks without holding its vCPU. Since 0.2.0: sleep and timed waits, and
 * {@link org.astralisp.kernel.api.sched.KernelTimers} (docs/kernel.md,
 * "Blocking, timers and IPC").
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.astralisp.kernel.api.sched;

/**
 * Synchronization for kernel threads (docs/kernel.md, "Blocking, timers and
 * IPC"): {@link org.astralisp.kernel.api.sync.Mutex},
 * {@link org.astralisp.kernel.api.sync.Semaphore} and
 * {@link org.astralisp.kernel.api.sync.ConditionVariable}, built on
 * {@link org.astralisp.kernel.api.sched.WaitQueue}: a thread that waits holds
 * no vCPU, and no wake-up is lost.
 *
 * <p>Who may call what: a call that may block (lock, acquire, await) is for
 * kernel threads; from any other thread it throws
 * {@link java.lang.IllegalStateException} instead of blocking (a mutex's
 * owner must be a kernel thread, so its lock calls always refuse one). Calls
 * that never block ({@code tryAcquire}, {@code release}, {@code signal},
 * {@code broadcast}) work from any thread, also in interrupt context.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.astralisp.kernel.api.sync;

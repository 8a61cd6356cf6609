/**
 * Inter-process communication objects of the kernel (docs/kernel.md,
 * "Blocking, timers and IPC"): {@link org.astralisp.kernel.api.ipc.Channel},
 * a bounded message queue, with {@link org.astralisp.kernel.api.ipc.Select}
 * over several channels, and {@link org.astralisp.kernel.api.ipc.Pipe}, a
 * byte stream with a read end and a write end. Handles to them in processes'
 * capability tables are the process layer's business; these are the objects.
 *
 * <p>Who may call what: a call that may block is for kernel threads (a
 * blocked thread is parked and holds no vCPU); from any other thread it
 * works as long as it need not wait, and throws
 * {@link java.lang.IllegalStateException} where it would have to. Calls that
 * never block ({@code trySend}, {@code tryReceive}, {@code close}) work from
 * any thread, also in interrupt context: a driver's interrupt handler can
 * post to a channel.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.astralisp.kernel.api.ipc;

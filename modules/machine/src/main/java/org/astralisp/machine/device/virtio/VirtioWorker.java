package org.astralisp.machine.device.virtio;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The host thread on which a machine's virtio devices serve their queues, so
 * that a driver's QueueNotify write returns at once and never waits for the
 * host (for {@link java.security.SecureRandom}, say). One per machine, shared
 * by its transports; owned and closed by the machine.
 *
 * <p>A {@link ThreadPoolExecutor} with one daemon thread, started at the first
 * notification: with no work queued the thread is parked in the queue's
 * {@code take()}, so an idle device costs no CPU. Transports coalesce
 * notifications (one queued task per virtqueue at most) and a task serves at
 * most a queue's size of requests before it queues itself again behind the
 * other transports' work. After {@link #close()} new work is discarded: the
 * machine is off.
 */
public final class VirtioWorker implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    /** A worker whose thread is named {@code threadName}. */
    public VirtioWorker(String threadName) {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Queues {@code task}; discarded once the worker is closed. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    /** Whether {@link #close()} has begun: a task failing now is failing because RAM is going away. */
    boolean closing() {
        return executor.isShutdown();
    }

    /**
     * Stops the worker: queued tasks are dropped, the running one finishes its
     * current request (bounded: see {@link EntropyDevice#MAX_BYTES_PER_REQUEST})
     * and stops. Waits up to {@code timeout} for that and tells whether the
     * thread ended. Idempotent.
     */
    public boolean close(Duration timeout) {
        executor.shutdownNow();
        try {
            return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #close(Duration)} with two seconds, the machine's power-off timeout. */
    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}

package org.astralisp.machine.device.pci;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The thread a device model does its long work on (a computation, a DMA
 * transfer), so that the vCPU whose register write started it goes on at
 * once, as with real hardware. One daemon thread per device, named after it;
 * jobs run in order. {@link #close()} (machine power-off) drops queued jobs,
 * interrupts the running one and waits briefly for the thread to end; work
 * submitted afterwards is dropped, as a powered-off device does nothing.
 */
final class DeviceWorker implements AutoCloseable {

    private static final long STOP_WAIT_MILLIS = 1000;

    private final ExecutorService executor;

    DeviceWorker(String name) {
        executor = Executors.newSingleThreadExecutor(job -> {
            Thread thread = new Thread(job, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code job} on the worker after the jobs before it; dropped after close. */
    void submit(Runnable job) {
        try {
            executor.execute(job);
        } catch (RejectedExecutionException closed) {
            // Powered off: the device does no more work, which is what the guest would see.
        }
    }

    boolean stopped() {
        return executor.isTerminated();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

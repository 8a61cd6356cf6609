package org.astralisp.boot.spi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A client's handle on a service that may be hot-swapped under it.
 *
 * <p>{@link #call(Function)} runs a call on the current instance. If there is no
 * instance (the old one has gone, the new one is not yet registered) it waits;
 * if the instance answers {@link ServiceQuiescedException} (it is being handed
 * over) it waits for the instance to change and makes the call again on the
 * successor. So a client sees one uninterrupted service, slowed down during the
 * swap by the service gap, and fails only if no instance shows up within the
 * patience it was given.
 *
 * <p>Waiting, and why it cannot miss a wake-up: for "no instance" we use
 * {@link ServiceTracker#waitForService}, which the tracker notifies only after
 * the new instance is in its map (a customizer's {@code addingService} runs
 * before that, so a signal from there could come too early). For "the instance
 * is handing over" we wait, under {@code changes}, until the tracker's current
 * instance is no longer the quiesced one; {@code removedService} runs after the
 * tracker dropped the instance and signals {@code changed} under the same lock,
 * so the check and the wait cannot straddle the removal.
 */
public final class SwapSafeService<S> implements AutoCloseable {

    private final String serviceName;
    private final long patienceNanos;
    private final ServiceTracker<S, S> tracker;
    private final ReentrantLock changes = new ReentrantLock();
    private final Condition changed = changes.newCondition();

    public SwapSafeService(BundleContext context, Class<S> type, Duration patience) {
        this.serviceName = type.getName();
        this.patienceNanos = patience.toNanos();
        this.tracker = new ServiceTracker<>(context, type, null) {
            @Override
            public void modifiedService(ServiceReference<S> reference, S service) {
                signalChange();
            }

            @Override
            public void removedService(ServiceReference<S> reference, S service) {
                super.removedService(reference, service);
                signalChange();
            }
        };
        tracker.open();
    }

    /** Runs {@code call} on the current instance, across a hot swap if need be. */
    public <R> R call(Function<S, R> call) {
        long deadline = System.nanoTime() + patienceNanos;
        while (true) {
            S service = tracker.getService();
            if (service == null) {
                service = awaitService(deadline);
            }
            try {
                return call.apply(service);
            } catch (ServiceQuiescedException handingOver) {
                awaitReplacementOf(service, deadline);
            }
        }
    }

    private S awaitService(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw unavailable();
        }
        try {
            // waitForService(0) would wait forever: never ask for less than 1 ms.
            S service = tracker.waitForService(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (service == null) {
                throw unavailable();
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while waiting for " + serviceName);
        }
    }

    private void awaitReplacementOf(S quiesced, long deadline) {
        changes.lock();
        try {
            while (tracker.getService() == quiesced) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw unavailable();
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while waiting for " + serviceName);
        } finally {
            changes.unlock();
        }
    }

    private void signalChange() {
        changes.lock();
        try {
            changed.signalAll();
        } finally {
            changes.unlock();
        }
    }

    private ServiceUnavailableException unavailable() {
        return new ServiceUnavailableException("no " + serviceName + " service answered within "
                + TimeUnit.NANOSECONDS.toMillis(patienceNanos) + " ms");
    }

    @Override
    public void close() {
        tracker.close();
    }
}

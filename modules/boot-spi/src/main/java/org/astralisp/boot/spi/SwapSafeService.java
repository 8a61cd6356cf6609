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
 * <p>Locking: {@code changes} guards {@code generation}, bumped by the tracker
 * callbacks whenever an instance comes or goes; waiters sleep on
 * {@code changed}.
 */
public final class SwapSafeService<S> implements AutoCloseable {

    private final String serviceName;
    private final long patienceNanos;
    private final ServiceTracker<S, S> tracker;
    private final ReentrantLock changes = new ReentrantLock();
    private final Condition changed = changes.newCondition();
    private long generation;

    public SwapSafeService(BundleContext context, Class<S> type, Duration patience) {
        this.serviceName = type.getName();
        this.patienceNanos = patience.toNanos();
        this.tracker = new ServiceTracker<>(context, type, null) {
            @Override
            public S addingService(ServiceReference<S> reference) {
                S service = super.addingService(reference);
                bump();
                return service;
            }

            @Override
            public void modifiedService(ServiceReference<S> reference, S service) {
                bump();
            }

            @Override
            public void removedService(ServiceReference<S> reference, S service) {
                super.removedService(reference, service);
                bump();
            }
        };
        tracker.open();
    }

    /** Runs {@code call} on the current instance, across a hot swap if need be. */
    public <R> R call(Function<S, R> call) {
        long deadline = System.nanoTime() + patienceNanos;
        while (true) {
            long seen = generation();
            S service = tracker.getService();
            if (service != null) {
                try {
                    return call.apply(service);
                } catch (ServiceQuiescedException handingOver) {
                    // fall through: wait for the instance to change, then retry
                }
            }
            awaitChangeAfter(seen, deadline);
        }
    }

    private long generation() {
        changes.lock();
        try {
            return generation;
        } finally {
            changes.unlock();
        }
    }

    private void bump() {
        changes.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            changes.unlock();
        }
    }

    private void awaitChangeAfter(long seen, long deadline) {
        changes.lock();
        try {
            while (generation == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ServiceUnavailableException("no " + serviceName + " service answered within "
                            + TimeUnit.NANOSECONDS.toMillis(patienceNanos) + " ms");
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

    @Override
    public void close() {
        tracker.close();
    }
}

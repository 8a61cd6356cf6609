package org.astralisp.boot.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.astralisp.boot.spi.Handover;
import org.astralisp.boot.spi.HandoverException;
import org.astralisp.boot.spi.HandoverState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a running bundle with a new version of itself, without restarting
 * anything that does not depend on it.
 *
 * <p>Sequence (docs/boot.md, "Hot swap"):
 * <ol>
 *   <li>check the new jar: a bundle with the same symbolic name;</li>
 *   <li>quiesce every {@link Handover} service the bundle registered, each within
 *       the quiesce timeout; if one fails, resume those already quiesced
 *       and stop — the old version keeps running untouched;</li>
 *   <li>deposit the states in the {@link DepositedHandovers} registry;</li>
 *   <li>{@code Bundle.update} with the new bytes, then
 *       {@code FrameworkWiring.refreshBundles(null)}, which refreshes exactly the
 *       bundles whose old revisions are pending removal and their dependants
 *       (STACK pitfall 9: refreshing the updated bundle by name would restart it
 *       twice);</li>
 *   <li>if the new version is not active afterwards, roll back to the jar that
 *       was running — the one an earlier swap put in, else the one at the
 *       bundle's location, provided it is still the running version — whose
 *       components then reclaim the states.</li>
 * </ol>
 */
public final class HotSwapCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger("org.astralisp.boot.hotswap");
    /** How long a component may take to quiesce before the swap is abandoned. */
    public static final java.time.Duration QUIESCE_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final long REFRESH_TIMEOUT_MS = 30_000;

    /** What a swap did. */
    public record SwapReport(String from, String to, List<String> handedOver, long nanos) {
        @Override
        public String toString() {
            return "swapped " + from + " -> " + to + " in " + String.format("%.1f", nanos / 1e6) + " ms"
                    + (handedOver.isEmpty() ? " (no state handed over)" : " (state handed over: "
                    + String.join(", ", handedOver) + ")");
        }
    }

    private final BundleContext context;
    private final DepositedHandovers registry;
    /** The jar each swapped bundle now runs, for a later rollback; guarded by this. */
    private final java.util.Map<Long, BundleArchive> swappedIn = new java.util.HashMap<>();
    private final long quiesceTimeoutMs;

    public HotSwapCoordinator(BundleContext context, DepositedHandovers registry, java.time.Duration quiesceTimeout) {
        this.context = context;
        this.registry = registry;
        this.quiesceTimeoutMs = quiesceTimeout.toMillis();
    }

    /** Swaps bundle {@code id} for {@code next}. */
    public synchronized SwapReport swap(long id, BundleArchive next) throws SwapException {
        long began = System.nanoTime();
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new SwapException("no bundle with id " + id);
        }
        if (id == 0) {
            throw new SwapException("bundle 0 is the framework itself and cannot be swapped");
        }
        if (!next.symbolicName().equals(bundle.getSymbolicName())) {
            throw new SwapException(next.location() + " is " + next.symbolicName() + ", not "
                    + bundle.getSymbolicName() + ": an update must be a version of the same bundle");
        }
        String from = BundleFailure.name(bundle);
        BundleArchive running = runningArchive(bundle);
        boolean wasActive = bundle.getState() == Bundle.ACTIVE;
        BundleRevision oldRevision = bundle.adapt(BundleRevision.class);
        List<Handover> quiesced = quiesceAll(bundle);
        try {
            bundle.update(next.open());
        } catch (BundleException | RuntimeException e) {
            if (bundle.adapt(BundleRevision.class) == oldRevision) {
                // Refused before the old version was replaced (e.g. a bad manifest): it serves on.
                if (bundle.getState() == Bundle.ACTIVE) {
                    quiesced.forEach(Handover::resume);
                }
                throw new SwapException("update of " + from + " failed, old version kept: " + BundleFailure.reason(e), e);
            }
            // Replaced, but the new version did not start (Core R8 §4.4.9: update restarts an active bundle).
            refresh();
            rollBack(bundle, running, from, "new version " + next + " did not start (" + BundleFailure.reason(e) + ")");
        }
        refresh();
        if (wasActive && bundle.getState() != Bundle.ACTIVE) {
            rollBack(bundle, running, from, "new version " + next + " did not start");
        }
        swappedIn.put(id, next);
        List<String> keys = new ArrayList<>();
        for (Handover handover : quiesced) {
            keys.add(handover.handoverKey());
        }
        SwapReport report = new SwapReport(from, BundleFailure.name(bundle), keys, System.nanoTime() - began);
        LOG.info("{}", report);
        return report;
    }

    private List<Handover> quiesceAll(Bundle bundle) throws SwapException {
        List<Handover> quiesced = new ArrayList<>();
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        if (registered == null) {
            return quiesced;
        }
        for (ServiceReference<?> reference : registered) {
            if (!providesHandover(reference)) {
                continue;
            }
            Handover handover = (Handover) context.getService(reference);
            if (handover == null) {
                continue;
            }
            try {
                HandoverState state = quiesceWithin(handover);
                registry.deposit(handover.handoverKey(), state);
                quiesced.add(handover);
                LOG.info("quiesced {}: {}", handover.handoverKey(), state);
            } catch (SwapException e) {
                quiesced.forEach(Handover::resume);
                throw e;
            }
        }
        return quiesced;
    }

    private static boolean providesHandover(ServiceReference<?> reference) {
        Object classes = reference.getProperty(org.osgi.framework.Constants.OBJECTCLASS);
        if (classes instanceof String[] names) {
            for (String name : names) {
                if (name.equals(Handover.class.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private HandoverState quiesceWithin(Handover handover) throws SwapException {
        CompletableFuture<HandoverState> future = CompletableFuture.supplyAsync(() -> {
            try {
                return handover.quiesce();
            } catch (HandoverException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            return future.get(quiesceTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SwapException(handover.handoverKey() + " did not quiesce within " + quiesceTimeoutMs
                    + " ms; swap abandoned, old version kept");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
            throw new SwapException(handover.handoverKey() + " refused to quiesce (" + cause.getMessage()
                    + "); swap abandoned, old version kept", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwapException("interrupted while quiescing " + handover.handoverKey());
        }
    }

    private void refresh() throws SwapException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        try {
            if (!refreshed.await(REFRESH_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new SwapException("refresh after update did not finish within " + REFRESH_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwapException("interrupted while refreshing");
        }
    }

    /**
     * The jar of the running revision: the one this coordinator last swapped in,
     * or the one at the bundle's location if that is still the running version;
     * null if neither is known (then a failed swap cannot be rolled back).
     */
    private BundleArchive runningArchive(Bundle bundle) {
        BundleArchive swapped = swappedIn.get(bundle.getBundleId());
        if (swapped != null) {
            return swapped;
        }
        try {
            BundleArchive atLocation = BundleArchive.load(locationPath(bundle.getLocation()));
            boolean same = atLocation.symbolicName().equals(bundle.getSymbolicName())
                    && org.osgi.framework.Version.parseVersion(atLocation.version()).equals(bundle.getVersion());
            return same ? atLocation : null;
        } catch (BundleArchiveException | IllegalArgumentException e) {
            LOG.warn("no rollback copy of {}: {}", BundleFailure.name(bundle), e.getMessage());
            return null;
        }
    }

    private void rollBack(Bundle bundle, BundleArchive old, String from, String why) throws SwapException {
        if (old == null) {
            throw new SwapException(why + "; cannot roll back (the jar of " + from
                    + " is no longer at its location); handed-over state is kept for the next start of "
                    + bundle.getSymbolicName());
        }
        try {
            bundle.update(old.open());
            refresh();
            // A failed restart leaves the bundle INSTALLED, and update does not start what is not active.
            if (bundle.getState() != Bundle.ACTIVE) {
                bundle.start();
            }
        } catch (BundleException | RuntimeException e) {
            throw new SwapException(why + "; roll back to " + from + " failed: " + BundleFailure.reason(e), e);
        }
        throw new SwapException(why + "; rolled back to " + from
                + (bundle.getState() == Bundle.ACTIVE ? ", which is active again" : ", which is not active"));
    }

    /** The readable source behind a bundle location ({@code reference:file:/x.jar} is {@code file:/x.jar}). */
    static String locationPath(String location) {
        return location.startsWith("reference:") ? location.substring("reference:".length()) : location;
    }
}

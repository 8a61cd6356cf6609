package org.astralisp.boot.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Apache Felix framework and the boot sequence on it: install the
 * manifest's bundles, then raise the start level one step at a time so that each
 * level's bundles are started before the next level's.
 *
 * <p>A bundle that fails to install, resolve or start is recorded as a
 * {@link Failure} and the boot goes on: whatever does not depend on it still
 * comes up. Failures reach us as {@link FrameworkEvent#ERROR} events during the
 * start-level change (OSGi Core R8 §9.3.1).
 */
public final class FelixHost {

    private static final Logger LOG = LoggerFactory.getLogger("org.astralisp.boot.framework");
    private static final long STOP_TIMEOUT_MS = 30_000;

    /** A bundle that did not come up, and why. */
    public record Failure(String bundle, String reason) {
        @Override
        public String toString() {
            return bundle + ": " + reason;
        }
    }

    /**
     * One bundle to install.
     *
     * @param content the jar's bytes, or null to let the framework read the location
     *        (a {@code reference:file:} location is then used in place, not copied)
     */
    public record Installation(String location, java.io.InputStream content, int startLevel) {
    }

    private final Framework framework;
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final java.time.Instant bootedAt;

    private FelixHost(Framework framework, java.time.Instant bootedAt) {
        this.framework = framework;
        this.bootedAt = bootedAt;
    }

    /**
     * Creates and initialises the framework (state STARTING, start level 0).
     *
     * @param properties framework properties from the boot manifest and the loader
     * @param storage the framework cache directory, cleaned at every boot
     * @param bootedAt when the system started booting, for uptime
     */
    public static FelixHost init(Map<String, String> properties, java.nio.file.Path storage,
                                 java.time.Instant bootedAt) throws BundleException {
        Map<String, String> config = new HashMap<>(properties);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.extra());
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        // Felix would print its own log on stdout; its errors reach us as framework events instead.
        config.put("felix.log.level", "0");
        FrameworkFactory factory = java.util.ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new BundleException("no OSGi framework on the module path (lib/ lacks Felix)"));
        Framework framework = factory.newFramework(config);
        framework.init();
        FelixHost host = new FelixHost(framework, bootedAt);
        framework.getBundleContext().addFrameworkListener(host::onFrameworkEvent);
        return host;
    }

    private void onFrameworkEvent(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.ERROR -> LOG.error("{}: {}", BundleFailure.name(event.getBundle()),
                    BundleFailure.reason(event.getThrowable()));
            case FrameworkEvent.WARNING -> LOG.warn("{}: {}", BundleFailure.name(event.getBundle()),
                    event.getThrowable() == null ? "warning" : BundleFailure.reason(event.getThrowable()));
            default -> {
                // STARTED, STARTLEVEL_CHANGED, PACKAGES_REFRESHED: waited for where they matter
            }
        }
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public Framework framework() {
        return framework;
    }

    /** Installs one bundle with its start level; a failure is recorded, not thrown, and null returned. */
    public Bundle install(Installation installation) {
        try {
            Bundle bundle = installation.content() == null
                    ? context().installBundle(installation.location())
                    : context().installBundle(installation.location(), installation.content());
            bundle.adapt(BundleStartLevel.class).setStartLevel(installation.startLevel());
            return bundle;
        } catch (BundleException | RuntimeException e) {
            recordFailure(installation.location(), "not installed: " + BundleFailure.reason(e));
            return null;
        }
    }

    /** Records a bundle that did not come up. */
    public void recordFailure(String bundle, String reason) {
        Failure failure = new Failure(bundle, reason);
        failures.add(failure);
        LOG.error("{}", failure);
    }

    /**
     * Starts the framework and raises the start level step by step to
     * {@code finalLevel}. At each level, once the framework is there, the
     * bundles {@code toStart} lists for it are started one by one, in order, on
     * this thread: a start that fails is recorded with its reason, and the
     * boot goes on. (Leaving the starts to the framework would report failures
     * only as asynchronous events, which may arrive after the level is done.)
     * {@code stageDone} is called with each level reached.
     */
    public void startUpTo(int finalLevel, Map<Integer, List<Bundle>> toStart, Consumer<Integer> stageDone)
            throws BundleException, InterruptedException {
        framework.start();
        FrameworkStartLevel startLevel = framework.adapt(FrameworkStartLevel.class);
        for (int level = 1; level <= finalLevel; level++) {
            if (level > 1) {
                raiseTo(startLevel, level);
            }
            for (Bundle bundle : toStart.getOrDefault(level, List.of())) {
                try {
                    bundle.start();
                } catch (BundleException | RuntimeException e) {
                    recordFailure(BundleFailure.name(bundle), BundleFailure.reason(e));
                }
            }
            stageDone.accept(level);
        }
    }

    private static void raiseTo(FrameworkStartLevel startLevel, int level) throws BundleException, InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        FrameworkListener done = event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                reached.countDown();
            }
        };
        startLevel.setStartLevel(level, done);
        if (!reached.await(60, TimeUnit.SECONDS)) {
            throw new BundleException("start level " + level + " was not reached within 60 s");
        }
    }

    /** Bundles that failed since boot began, in order. */
    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Time since the system started booting (the process start). */
    public java.time.Duration uptime() {
        return java.time.Duration.between(bootedAt, java.time.Instant.now());
    }

    /** Stops every bundle (highest start level first) and the framework, and waits. */
    public void stop() throws BundleException, InterruptedException {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        framework.stop();
        FrameworkEvent stopped = framework.waitForStop(STOP_TIMEOUT_MS);
        if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new BundleException("the framework did not stop within " + STOP_TIMEOUT_MS / 1000 + " s");
        }
    }

    /** The installed bundles other than the system bundle. */
    public List<Bundle> bundles() {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : context().getBundles()) {
            bundles.add(bundle);
        }
        return bundles;
    }
}

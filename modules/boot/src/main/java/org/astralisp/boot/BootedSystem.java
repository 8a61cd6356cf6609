package org.astralisp.boot;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.boot.console.PolledUart;
import org.astralisp.boot.console.SystemConsole;
import org.astralisp.boot.framework.BundleArchive;
import org.astralisp.boot.framework.BundleArchiveException;
import org.astralisp.boot.framework.DepositedHandovers;
import org.astralisp.boot.framework.FelixHost;
import org.astralisp.boot.framework.HotSwapCoordinator;
import org.astralisp.boot.log.KernelLog;
import org.astralisp.boot.monitor.BundleCommands;
import org.astralisp.boot.monitor.Monitor;
import org.astralisp.boot.monitor.SystemCommands;
import org.astralisp.boot.spi.HandoverRegistry;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.MachineException;
import org.astralisp.machine.console.ConsoleBackend;
import org.astralisp.machine.console.StdioConsole;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A booted AstraLisp system: the kernel log, the framework with the manifest's
 * bundles started, the hot-swap coordinator and the boot monitor.
 * {@link #boot} brings it up stage by stage; {@link #shutdown} takes it down,
 * once, from whichever thread asks first (the console, or a signal).
 */
public final class BootedSystem {

    private static final Logger LOG = LoggerFactory.getLogger("org.astralisp.boot");
    /** The 16550's register window: eight byte registers ({@code reg-shift} 0). */
    private static final long UART_REGISTERS = 8;
    /** How long the console waits for the tty a started bundle promises before polling the UART itself. */
    private static final java.time.Duration TERMINAL_WAIT = java.time.Duration.ofSeconds(5);

    private final ImageLock lock;
    private final Machine machine;
    private final KernelLog log;
    private final FelixHost host;
    private final Monitor monitor;
    private final SystemConsole console;
    private final ConsoleBackend consoleBackend;
    private final BootTimeline timeline;
    private final AtomicBoolean down = new AtomicBoolean();

    private BootedSystem(ImageLock lock, Machine machine, KernelLog log, FelixHost host, Monitor monitor,
                         SystemConsole console, ConsoleBackend consoleBackend, BootTimeline timeline) {
        this.console = console;
        this.consoleBackend = consoleBackend;
        this.lock = lock;
        this.machine = machine;
        this.log = log;
        this.host = host;
        this.monitor = monitor;
        this.timeline = timeline;
    }

    /**
     * Boots the image in {@code options}, printing the timeline on {@code out}.
     *
     * @param processStart when the process started, the timeline's origin
     * @throws BootException if the system cannot come up at all (a bad manifest,
     *         a framework that does not start); single bundles that fail do not
     *         stop the boot
     */
    public static BootedSystem boot(BootOptions options, Instant processStart, PrintStream out) throws BootException {
        return boot(options, processStart, ConsoleHost.output(out));
    }

    /**
     * Boots the image in {@code options}; the timeline goes to the host's
     * output directly (the firmware's early console), everything after it
     * through the console UART, whose {@code stdio} back end is {@code host}.
     */
    public static BootedSystem boot(BootOptions options, Instant processStart, ConsoleHost consoleHost)
            throws BootException {
        PrintStream out = consoleHost.out();
        long originNanos = System.nanoTime() - Math.max(0, Instant.now().toEpochMilli() - processStart.toEpochMilli()) * 1_000_000;
        BootTimeline timeline = new BootTimeline(originNanos);
        out.println("AstraLisp OS " + Version.current() + " (" + options.arch() + ", " + options.cpus() + " cpu"
                + (options.cpus() == 1 ? "" : "s") + ", " + options.memory() + ")");
        stage(timeline, out, "jvm start");
        ImageLayout image = new ImageLayout(options.image());
        ImageLock lock = ImageLock.acquire(image.lock());
        try {
            Files.createDirectories(image.logDirectory());
        } catch (java.io.IOException e) {
            lock.close();
            throw new BootException("cannot create " + image.logDirectory() + ": " + e.getMessage());
        }
        KernelLog log = KernelLog.start(image.logDirectory(), processStart.toEpochMilli(), true);
        stage(timeline, out, "kernel log");

        Machine machine;
        ConsoleBackend backend;
        try {
            backend = consoleBackend(options, consoleHost);
            machine = Machine.create(new MachineConfig(Architecture.named(options.arch()), options.cpus(),
                    options.memory().bytes(), options.bootArguments(), backend));
        } catch (MachineException | IllegalArgumentException | java.io.UncheckedIOException e) {
            log.stop();
            lock.close();
            throw new BootException("no machine: " + e.getMessage());
        }
        stage(timeline, out, "machine: " + machine.description().interruptController());

        BootManifest manifest;
        try {
            manifest = BootManifest.read(image.bootManifest(), image.root());
        } catch (BootManifestException e) {
            machine.close();
            log.stop();
            lock.close();
            throw new BootException(e.getMessage());
        }
        stage(timeline, out, "boot manifest: " + manifest.bundles().stream().filter(e -> e.isFor(options.arch())).count()
                + " bundles");

        FelixHost host;
        try {
            host = FelixHost.init(frameworkProperties(options, manifest), image.frameworkCache(), processStart);
        } catch (BundleException | RuntimeException e) {
            machine.close();
            log.stop();
            lock.close();
            throw new BootException("the framework did not initialise: " + e.getMessage());
        }
        DepositedHandovers handovers = new DepositedHandovers();
        host.context().registerService(HandoverRegistry.class, handovers, null);
        MachinePorts.register(host.context(), machine);
        stage(timeline, out, "framework init");

        Map<Integer, List<Bundle>> toStart = new TreeMap<>();
        for (BootManifest.Entry entry : manifest.bundles()) {
            if (!entry.isFor(options.arch())) {
                continue; // another architecture's bundle (ARCHITECTURE §2: exactly one arch bundle active)
            }
            Bundle bundle = install(host, entry);
            if (bundle != null && entry.start()) {
                toStart.computeIfAbsent(entry.startLevel(), level -> new ArrayList<>()).add(bundle);
            }
        }
        stage(timeline, out, "install");

        try {
            host.startUpTo(manifest.finalStartLevel(), toStart, level -> stage(timeline, out,
                    "start level " + level + ": " + toStart.getOrDefault(level, List.of()).size() + " bundles"));
        } catch (BundleException | InterruptedException e) {
            shutdownQuietly(host, machine, log);
            lock.close();
            throw new BootException("the framework did not start: " + e.getMessage());
        }

        SystemConsole console = new SystemConsole(host.context(),
                new PolledUart(machine.mmio().map(machine.consoleUart(), UART_REGISTERS)), TERMINAL_WAIT,
                consoleHost.terminal() || !options.console().equals("stdio"), backend.reconnects());
        Monitor monitor = new Monitor(host.context(), console.out());
        HotSwapCoordinator coordinator = new HotSwapCoordinator(host.context(), handovers, HotSwapCoordinator.QUIESCE_TIMEOUT);
        monitor.addBuiltin(monitor.help());
        new BundleCommands(host, coordinator).commands().forEach(monitor::addBuiltin);
        new SystemCommands(host, log, monitor).commands().forEach(monitor::addBuiltin);
        monitor.addBuiltin(MachinePorts.machineCommand(machine));
        stage(timeline, out, "console: " + console.describe());

        List<FelixHost.Failure> failures = host.failures();
        if (!failures.isEmpty()) {
            out.println(failures.size() + " bundle" + (failures.size() == 1 ? "" : "s") + " did not come up:");
            failures.forEach(f -> out.println("  " + f));
        }
        out.printf("ready in %.0f ms%n", timeline.totalMillis());
        LOG.info("ready in {} ms, {} bundle failures", Math.round(timeline.totalMillis()), failures.size());
        return new BootedSystem(lock, machine, log, host, monitor, console, backend, timeline);
    }

    /** The UART's host end: {@code stdio} is the console host's streams; {@code telnet:PORT} listens; {@code pipe:PATH} opens PATH.in and PATH.out. */
    private static ConsoleBackend consoleBackend(BootOptions options, ConsoleHost host) {
        return options.console().equals("stdio") ? new StdioConsole(host.in(), host.out())
                : ConsoleBackend.forOption(options.console());
    }

    private static void stage(BootTimeline timeline, PrintStream out, String name) {
        timeline.mark(name);
        BootTimeline.Stage stage = timeline.stages().getLast();
        out.printf("  [%7.1f ms] %s%n", stage.millis(), stage.name());
    }

    private static Bundle install(FelixHost host, BootManifest.Entry entry) {
        try {
            BundleArchive.load(entry.jar().toString()); // checks it: a clear error instead of Felix's
        } catch (BundleArchiveException e) {
            host.recordFailure(entry.jar().getFileName().toString(), e.getMessage());
            return null;
        }
        // Installed by reference, so Felix uses the jar in place instead of copying it into its
        // cache at every boot (an InputStream would override reference:).
        return host.install(new FelixHost.Installation("reference:" + entry.jar().toUri(), null, entry.startLevel()));
    }

    private static Map<String, String> frameworkProperties(BootOptions options, BootManifest manifest) {
        Map<String, String> properties = new HashMap<>(manifest.properties());
        properties.put("astra.version", Version.current());
        properties.put("astra.home", options.image().toString());
        properties.put("astra.arch", options.arch());
        properties.put("astra.cpus", Integer.toString(options.cpus()));
        properties.put("astra.memory", Long.toString(options.memory().bytes()));
        properties.put("astra.disks", String.join(";", options.disks()));
        properties.put("astra.nic", options.nic());
        properties.put("astra.display", options.display());
        properties.put("astra.console", options.console());
        return properties;
    }

    public Machine machine() {
        return machine;
    }

    public Monitor monitor() {
        return monitor;
    }

    /**
     * Waits until what the console printed so far has left the machine through
     * its UART's host end ({@code tcdrain}), at most two seconds.
     *
     * @return whether it did
     */
    public boolean drainConsole() {
        console.out().flush();
        return consoleBackend.drain(java.time.Duration.ofSeconds(2));
    }

    /** The console the monitor reads and writes: the kernel's tty, or the polled UART. */
    public SystemConsole console() {
        return console;
    }

    public FelixHost host() {
        return host;
    }

    public KernelLog log() {
        return log;
    }

    public BootTimeline timeline() {
        return timeline;
    }

    /**
     * Stops every bundle and the framework, then the log. Only the first call
     * does anything; it returns whether the shutdown was clean.
     */
    public boolean shutdown() {
        if (!down.compareAndSet(false, true)) {
            return true;
        }
        LOG.info("shutting down");
        console.close();
        boolean clean = shutdownQuietly(host, machine, log);
        lock.close();
        return clean;
    }

    private static boolean shutdownQuietly(FelixHost host, Machine machine, KernelLog log) {
        boolean clean = true;
        try {
            host.stop();
        } catch (BundleException e) {
            LOG.error("shutdown: {}", e.getMessage());
            clean = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        try {
            machine.close();
        } catch (IllegalStateException e) {
            LOG.error("power off: {}", e.getMessage());
            clean = false;
        }
        LOG.info("halted");
        log.stop();
        return clean;
    }

    /** The path of the running image, as the launcher passed it. */
    public Path image() {
        return Path.of(host.context().getProperty("astra.home"));
    }
}

package org.astralisp.boot.monitor;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.astralisp.boot.framework.BundleArchive;
import org.astralisp.boot.framework.BundleArchiveException;
import org.astralisp.boot.framework.BundleFailure;
import org.astralisp.boot.framework.FelixHost;
import org.astralisp.boot.framework.HotSwapCoordinator;
import org.astralisp.boot.framework.SwapException;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The bundle life-cycle commands: {@code bundles install start stop uninstall
 * update}. Ids are the framework's bundle ids; bundle 0 is the framework.
 */
public final class BundleCommands {

    private final FelixHost host;
    private final HotSwapCoordinator coordinator;

    public BundleCommands(FelixHost host, HotSwapCoordinator coordinator) {
        this.host = host;
        this.coordinator = coordinator;
    }

    public List<ConsoleCommand> commands() {
        return List.of(
                command("bundles", "bundles                    list bundles: id, state, start level, name, version",
                        this::list),
                command("install", "install PATH|URL           install a bundle jar (does not start it)",
                        this::install),
                command("start", "start ID                   start a bundle", args -> lifecycle(args, "start")),
                command("stop", "stop ID                    stop a bundle", args -> lifecycle(args, "stop")),
                command("uninstall", "uninstall ID               stop and remove a bundle",
                        args -> lifecycle(args, "uninstall")),
                command("update", "update ID PATH|URL         hot-swap a bundle for a new version of it",
                        this::update));
    }

    /** A command whose whole output is one line. */
    @FunctionalInterface
    interface QuietBody {
        String run(List<String> args) throws CommandException;
    }

    private static ConsoleCommand command(String name, String synopsis, QuietBody body) {
        return ConsoleCommand.of(name, synopsis, (args, out) -> out.println(body.run(args)));
    }

    private static ConsoleCommand command(String name, String synopsis, ConsoleCommand.Body body) {
        return ConsoleCommand.of(name, synopsis, body);
    }

    private void list(List<String> args, PrintWriter out) throws CommandException {
        Args.count(args, 0, "bundles");
        out.printf("%4s  %-11s %5s  %s%n", "ID", "STATE", "LEVEL", "NAME VERSION");
        for (Bundle bundle : host.bundles()) {
            out.printf("%4d  %-11s %5d  %s %s%n", bundle.getBundleId(), state(bundle.getState()),
                    bundle.adapt(BundleStartLevel.class) == null ? 0 : bundle.adapt(BundleStartLevel.class).getStartLevel(),
                    bundle.getSymbolicName(), bundle.getVersion());
        }
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "0x" + Integer.toHexString(state).toUpperCase(Locale.ROOT);
        };
    }

    private String install(List<String> args) throws CommandException {
        Args.count(args, 1, "install PATH|URL");
        BundleArchive archive = archive(args.get(0));
        BundleContext context = host.context();
        for (Bundle existing : context.getBundles()) {
            if (archive.location().equals(existing.getLocation())) {
                throw new CommandException(args.get(0) + " is already installed as bundle " + existing.getBundleId()
                        + " (use update to replace it)");
            }
        }
        try {
            Bundle bundle = context.installBundle(archive.location(), archive.open());
            return "installed " + BundleFailure.name(bundle);
        } catch (BundleException e) {
            throw new CommandException(args.get(0) + ": not installed: " + BundleFailure.reason(e));
        }
    }

    private static BundleArchive archive(String source) throws CommandException {
        try {
            return BundleArchive.load(source);
        } catch (BundleArchiveException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private String lifecycle(List<String> args, String action) throws CommandException {
        Args.count(args, 1, action + " ID");
        Bundle bundle = Args.bundle(host.context(), args.get(0));
        if (bundle.getBundleId() == 0) {
            throw new CommandException("bundle 0 is the framework itself; use shutdown");
        }
        String name = BundleFailure.name(bundle);
        try {
            switch (action) {
                case "start" -> bundle.start();
                case "stop" -> bundle.stop();
                default -> bundle.uninstall();
            }
        } catch (BundleException | IllegalStateException e) {
            throw new CommandException(name + " not " + past(action) + ": " + BundleFailure.reason(e));
        }
        return past(action) + " " + name;
    }

    private static String past(String action) {
        return switch (action) {
            case "start" -> "started";
            case "stop" -> "stopped";
            default -> "uninstalled";
        };
    }

    private String update(List<String> args) throws CommandException {
        Args.count(args, 2, "update ID PATH|URL");
        Bundle bundle = Args.bundle(host.context(), args.get(0));
        BundleArchive archive = archive(args.get(1));
        try {
            return coordinator.swap(bundle.getBundleId(), archive).toString();
        } catch (SwapException e) {
            throw new CommandException(e.getMessage());
        }
    }
}

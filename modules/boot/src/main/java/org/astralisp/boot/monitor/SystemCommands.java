package org.astralisp.boot.monitor;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.astralisp.boot.framework.FelixHost;
import org.astralisp.boot.log.KernelLog;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@code services dmesg uptime loglevel shutdown}. */
public final class SystemCommands {

    private final FelixHost host;
    private final KernelLog log;
    private final Monitor monitor;

    public SystemCommands(FelixHost host, KernelLog log, Monitor monitor) {
        this.host = host;
        this.log = log;
        this.monitor = monitor;
    }

    public List<ConsoleCommand> commands() {
        return List.of(
                ConsoleCommand.of("services", "services                   list registered services: id, bundle, interfaces",
                        this::services),
                ConsoleCommand.of("dmesg", "dmesg [N]                  show the kernel log (the last N lines)", this::dmesg),
                ConsoleCommand.of("uptime", "uptime                     time since boot and active bundles", this::uptime),
                ConsoleCommand.of("loglevel", "loglevel [SUBSYSTEM LEVEL] show or set log levels (trace..error, off)",
                        this::loglevel),
                ConsoleCommand.of("shutdown", "shutdown                   stop every bundle and power off", (args, out) -> {
                    Args.count(args, 0, "shutdown");
                    out.println("shutting down");
                    monitor.requestShutdown();
                }));
    }

    private void services(List<String> args, PrintWriter out) throws CommandException {
        Args.count(args, 0, "services");
        ServiceReference<?>[] references;
        try {
            references = host.context().getAllServiceReferences(null, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (references == null) {
            out.println("no services");
            return;
        }
        Arrays.sort(references, (a, b) -> Long.compare(serviceId(a), serviceId(b)));
        out.printf("%4s  %6s  %s%n", "ID", "BUNDLE", "INTERFACES");
        for (ServiceReference<?> reference : references) {
            Bundle owner = reference.getBundle();
            out.printf("%4d  %6s  %s%n", serviceId(reference), owner == null ? "-" : String.valueOf(owner.getBundleId()),
                    String.join(", ", (String[]) reference.getProperty(Constants.OBJECTCLASS)));
        }
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private void dmesg(List<String> args, PrintWriter out) throws CommandException {
        if (args.size() > 1) {
            throw new CommandException("usage: dmesg [N]");
        }
        List<String> lines = log.dmesg();
        if (args.size() == 1) {
            int n;
            try {
                n = Integer.parseInt(args.get(0));
            } catch (NumberFormatException e) {
                throw new CommandException("'" + args.get(0) + "' is not a line count");
            }
            if (n < 0) {
                throw new CommandException("line count must not be negative, was " + n);
            }
            lines = lines.subList(Math.max(0, lines.size() - n), lines.size());
        }
        lines.forEach(out::println);
    }

    private void uptime(List<String> args, PrintWriter out) throws CommandException {
        Args.count(args, 0, "uptime");
        Duration up = host.uptime();
        long active = host.bundles().stream().filter(b -> b.getState() == Bundle.ACTIVE).count();
        out.printf("up %d:%02d:%02d.%03d, %d of %d bundles active%n", up.toHours(), up.toMinutesPart(),
                up.toSecondsPart(), up.toMillisPart(), active, host.bundles().size());
    }

    private void loglevel(List<String> args, PrintWriter out) throws CommandException {
        if (args.isEmpty()) {
            for (Map.Entry<String, String> level : log.levels().entrySet()) {
                out.println(level.getKey() + " " + level.getValue());
            }
            return;
        }
        Args.count(args, 2, "loglevel [SUBSYSTEM LEVEL]");
        try {
            String logger = log.setLevel(args.get(0), args.get(1));
            out.println(logger + " " + args.get(1).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }
}

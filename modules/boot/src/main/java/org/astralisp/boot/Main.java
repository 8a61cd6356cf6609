package org.astralisp.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.astralisp.boot.console.HostTerminal;
import org.astralisp.boot.monitor.Monitor;

/**
 * {@code astra boot}: the process entry point. Exit status 0 on a clean
 * shutdown; otherwise non-zero with a one-line reason on stderr:
 * 1 the system could not boot, or a console line given by {@code -e} /
 * {@code --script} failed; 2 a bad command line.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        // Flush and exit explicitly: Felix threads are not daemons (STACK pitfall 3).
        int status = run(Arrays.asList(args), System.out, System.err, true);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Boots, runs the console, shuts down.
     *
     * @param signals whether to take over SIGINT and SIGTERM (off in tests)
     */
    static int run(List<String> args, PrintStream out, PrintStream err, boolean signals) {
        Instant processStart = ProcessClock.processStart();
        BootOptions options;
        try {
            String home = System.getProperty("astra.home");
            options = BootOptions.parse(args, home == null ? null : Path.of(home));
        } catch (UsageException e) {
            err.println("astra: " + e.getMessage());
            return USAGE;
        }
        // A real process at an interactive terminal hands the keyboard to the guest's tty, as QEMU's -serial stdio.
        Optional<HostTerminal> raw = signals && options.interactive() && options.console().equals("stdio")
                ? HostTerminal.rawIfTerminal() : Optional.empty();
        ConsoleHost consoleHost = options.interactive() ? new ConsoleHost(System.in, out, raw.isPresent())
                : ConsoleHost.output(out);
        BootedSystem system;
        try {
            system = BootedSystem.boot(options, processStart, consoleHost);
        } catch (BootException e) {
            raw.ifPresent(HostTerminal::restore);
            err.println("astra: boot failed: " + e.getMessage());
            return FAILED;
        }
        if (signals) {
            ConsoleSignals.install(system, raw);
        }
        List<String> failedLines = new ArrayList<>();
        if (options.interactive()) {
            try {
                system.monitor().run(system.console());
            } catch (IOException e) {
                err.println("astra: console input failed: " + e.getMessage());
            }
        } else {
            runLines(system.monitor(), options.consoleLines(), system.console().out(), failedLines);
        }
        boolean clean = system.shutdown();
        raw.ifPresent(HostTerminal::restore);
        if (!clean) {
            err.println("astra: shutdown was not clean (see var/log/kernel.log)");
            return FAILED;
        }
        if (!failedLines.isEmpty()) {
            err.println("astra: " + failedLines.size() + " of " + options.consoleLines().size()
                    + " console lines failed, first: " + failedLines.getFirst());
            return FAILED;
        }
        return OK;
    }

    private static void runLines(Monitor monitor, List<BootOptions.ConsoleLine> lines, PrintWriter out,
                                 List<String> failed) {
        for (BootOptions.ConsoleLine line : lines) {
            if (monitor.shutdownRequested()) {
                break;
            }
            out.println(Monitor.PROMPT + line.text());
            if (!monitor.execute(line.text())) {
                failed.add(line.origin() + " '" + line.text() + "'");
            }
        }
    }
}

package org.astralisp.boot;

import java.io.PrintWriter;
import java.util.Optional;
import org.astralisp.boot.console.HostTerminal;
import org.astralisp.boot.monitor.InterruptConfirmation;
import org.astralisp.boot.monitor.Monitor;
import sun.misc.Signal;

/**
 * SIGTERM shuts down cleanly at once. SIGINT at the prompt does so only when a
 * second one follows within 3 s, so one stray ^C does not power the machine off; the
 * first one prints how to confirm. A ^C typed at the console (a tty event, the
 * host terminal being in raw mode) and SIGINT confirm each other
 * ({@link InterruptConfirmation}).
 *
 * <p>Signal handlers run on a JVM thread of their own; {@link BootedSystem#shutdown}
 * is idempotent, so a signal racing the {@code shutdown} command is harmless.
 */
final class ConsoleSignals {

    private ConsoleSignals() {
    }

    /**
     * @param raw the host terminal in raw mode, given its settings back before a signal exits the process
     */
    static void install(BootedSystem system, Optional<HostTerminal> raw) {
        PrintWriter out = system.console().out();
        Signal.handle(new Signal("TERM"), signal -> halt(system, out, raw, "SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> {
            if (system.monitor().interrupts().confirms()) {
                halt(system, out, raw, "second ^C");
            } else {
                out.println();
                out.println(InterruptConfirmation.HINT);
                out.print(Monitor.PROMPT);
                out.flush();
            }
        });
    }

    private static void halt(BootedSystem system, PrintWriter out, Optional<HostTerminal> raw, String why) {
        out.println();
        out.println(why + ": shutting down");
        out.flush();
        boolean clean = system.shutdown();
        raw.ifPresent(HostTerminal::restore);
        System.exit(clean ? Main.OK : Main.FAILED);
    }
}

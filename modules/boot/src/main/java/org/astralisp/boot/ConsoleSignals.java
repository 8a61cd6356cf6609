package org.astralisp.boot;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;

/**
 * SIGTERM shuts down cleanly at once. SIGINT at the prompt does so only when a
 * second one follows within 3 s, so one stray ^C does not power the machine off; the
 * first one prints how to confirm. (The console line discipline that delivers
 * ^C to the foreground program arrives with the kernel's tty layer.)
 *
 * <p>Signal handlers run on a JVM thread of their own; {@link BootedSystem#shutdown}
 * is idempotent, so a signal racing the {@code shutdown} command is harmless.
 */
final class ConsoleSignals {

    static final long CONFIRM_WINDOW_NANOS = 3_000_000_000L;

    private ConsoleSignals() {
    }

    static void install(BootedSystem system, PrintStream out) {
        AtomicLong lastInterrupt = new AtomicLong(Long.MIN_VALUE);
        Signal.handle(new Signal("TERM"), signal -> halt(system, out, "SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> {
            long now = System.nanoTime();
            long previous = lastInterrupt.getAndSet(now);
            if (previous != Long.MIN_VALUE && now - previous < CONFIRM_WINDOW_NANOS) {
                halt(system, out, "second ^C");
            } else {
                out.println();
                out.println("^C (press ^C again within 3 s to shut down)");
                out.print(org.astralisp.boot.monitor.Monitor.PROMPT);
                out.flush();
            }
        });
    }

    private static void halt(BootedSystem system, PrintStream out, String why) {
        out.println();
        out.println(why + ": shutting down");
        out.flush();
        boolean clean = system.shutdown();
        System.exit(clean ? Main.OK : Main.FAILED);
    }
}

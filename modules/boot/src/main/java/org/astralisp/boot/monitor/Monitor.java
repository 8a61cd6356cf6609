package org.astralisp.boot.monitor;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The boot monitor: the console's command interpreter until the Lisp listener
 * exists, and the fallback console after (like Open Firmware's {@code ok}).
 *
 * <p>Console syntax: a line that starts with {@code (} is a Lisp form; any other
 * non-blank line is {@code name arg…}. Commands are the built-ins plus every
 * {@link ConsoleCommand} service registered by an active bundle; a built-in
 * wins a name clash.
 */
public final class Monitor {

    public static final String PROMPT = "ok ";
    static final String NO_LISP = "no Lisp runtime installed: forms need the Lisp runtime bundle";

    /** The bundles' commands; the tracker gets each service once and ungets it when it goes. */
    private final ServiceTracker<ConsoleCommand, ConsoleCommand> contributions;
    private final Map<String, ConsoleCommand> builtins = new TreeMap<>();
    private final PrintWriter out;
    private final InterruptConfirmation interrupts = new InterruptConfirmation();
    private volatile boolean shutdownRequested;

    public Monitor(BundleContext context, PrintWriter out) {
        this.contributions = new ServiceTracker<>(context, ConsoleCommand.class, null);
        this.contributions.open();
        this.out = out;
    }

    public void addBuiltin(ConsoleCommand command) {
        builtins.put(command.name(), command);
    }

    /** Asks the console loop to end after the current line. */
    public void requestShutdown() {
        shutdownRequested = true;
    }

    public boolean shutdownRequested() {
        return shutdownRequested;
    }

    /**
     * Runs one console line.
     *
     * @return whether it succeeded; failures have been printed
     */
    public boolean execute(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return true;
        }
        if (text.startsWith("(")) {
            out.println(NO_LISP);
            out.flush();
            return false;
        }
        List<String> words;
        try {
            words = CommandLine.split(text);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.flush();
            return false;
        }
        String name = words.get(0);
        ConsoleCommand command = find(name);
        if (command == null) {
            out.println(name + ": unknown command (type help for the list)");
            out.flush();
            return false;
        }
        try {
            command.execute(words.subList(1, words.size()), out);
            return true;
        } catch (CommandException e) {
            out.println(name + ": " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            out.println(name + ": failed: " + e);
            return false;
        } finally {
            out.flush();
        }
    }

    /**
     * Reads and runs lines until {@code shutdown}, end of input, or a ^C
     * confirmed within {@link InterruptConfirmation#WINDOW_NANOS} (the first
     * one prints {@link InterruptConfirmation#HINT}).
     */
    public void run(LineSource input) throws IOException {
        while (!shutdownRequested) {
            out.print(PROMPT);
            out.flush();
            ConsoleInput.Read read;
            try {
                read = input.next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            switch (read) {
                case ConsoleInput.EndOfInput end -> {
                    out.println();
                    out.flush();
                    return;
                }
                case ConsoleInput.Malformed bad -> {
                    out.println("console: " + bad.reason());
                    out.flush();
                }
                case ConsoleInput.Interrupt interrupt -> {
                    if (interrupts.confirms()) {
                        out.println("second ^C: shutting down");
                        out.flush();
                        return;
                    }
                    out.println(InterruptConfirmation.HINT);
                }
                case ConsoleInput.Line line -> execute(line.text());
            }
        }
    }

    /** The ^C confirmation this console shares with SIGINT. */
    public InterruptConfirmation interrupts() {
        return interrupts;
    }

    ConsoleCommand find(String name) {
        ConsoleCommand builtin = builtins.get(name);
        return builtin != null ? builtin : contributed().get(name);
    }

    /** Commands contributed by bundles, by name (lowest service ranking loses). */
    Map<String, ConsoleCommand> contributed() {
        Map<String, ConsoleCommand> commands = new TreeMap<>();
        ServiceReference<ConsoleCommand>[] references = contributions.getServiceReferences();
        if (references == null) {
            return commands;
        }
        List<ServiceReference<ConsoleCommand>> sorted = new ArrayList<>(List.of(references));
        sorted.sort(null);
        for (ServiceReference<ConsoleCommand> reference : sorted) {
            ConsoleCommand command = contributions.getService(reference);
            if (command != null) {
                commands.put(command.name(), command);
            }
        }
        return commands;
    }

    /** Every command by name, built-ins over contributed ones. */
    Map<String, ConsoleCommand> all() {
        Map<String, ConsoleCommand> all = new TreeMap<>(contributed());
        all.putAll(builtins);
        return all;
    }

    /** The built-in {@code help}. */
    public ConsoleCommand help() {
        return ConsoleCommand.of("help", "help [COMMAND]             list the commands, or describe one", (args, out) -> {
            if (args.size() > 1) {
                throw new CommandException("takes at most one command name");
            }
            if (args.size() == 1) {
                ConsoleCommand command = find(args.get(0));
                if (command == null) {
                    throw new CommandException("no command named " + args.get(0));
                }
                out.println(command.synopsis());
                return;
            }
            out.println("Lines starting with ( are Lisp forms; other lines are commands:");
            for (ConsoleCommand command : all().values()) {
                out.println("  " + command.synopsis());
            }
        });
    }
}

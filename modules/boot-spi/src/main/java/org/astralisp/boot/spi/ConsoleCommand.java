package org.astralisp.boot.spi;

import java.io.PrintWriter;
import java.util.List;

/**
 * A console command contributed by a bundle. Register it as an OSGi service;
 * the console finds it by {@link #name()} while the bundle is active.
 *
 * <p>Console syntax (fixed for every later console): a line that starts with
 * {@code (} is a Lisp form; any other line is {@code name arg…}, split on
 * whitespace, with double quotes grouping an argument that contains spaces.
 */
public interface ConsoleCommand {

    /** The word that invokes the command; lower case, no spaces. */
    String name();

    /** One line: the arguments and what the command does, for {@code help}. */
    String synopsis();

    /**
     * Runs the command.
     *
     * @throws CommandException for bad arguments or a failure the user should
     *         read; its message is printed as {@code name: message}
     */
    void execute(List<String> args, PrintWriter out) throws CommandException;

    /** What a command does with its arguments; see {@link #of}. */
    @FunctionalInterface
    interface Body {
        void run(List<String> args, PrintWriter out) throws CommandException;
    }

    /** A command from its name, synopsis and body. */
    static ConsoleCommand of(String name, String synopsis, Body body) {
        return new ConsoleCommand() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String synopsis() {
                return synopsis;
            }

            @Override
            public void execute(List<String> args, PrintWriter out) throws CommandException {
                body.run(args, out);
            }
        };
    }
}

package org.astralisp.it.testbundles.greeting;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.osgi.service.component.annotations.Component;

/** {@code greet NAME}: the smallest contributed command; it exists while its bundle is active. */
@Component(service = ConsoleCommand.class)
public final class GreetingCommand implements ConsoleCommand {

    @Override
    public String name() {
        return "greet";
    }

    @Override
    public String synopsis() {
        return "greet NAME                 say hello (integration-test bundle)";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (args.size() != 1) {
            throw new CommandException("usage: greet NAME");
        }
        out.println("hello, " + args.getFirst());
    }
}

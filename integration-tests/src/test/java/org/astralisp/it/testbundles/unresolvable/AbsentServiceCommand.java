package org.astralisp.it.testbundles.unresolvable;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.it.testbundles.absent.AbsentService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A command that needs {@link AbsentService}: bnd gives its bundle an
 * {@code Import-Package} of {@code org.astralisp.it.testbundles.absent}, which
 * nothing exports, so the bundle cannot resolve.
 */
@Component(service = ConsoleCommand.class)
public final class AbsentServiceCommand implements ConsoleCommand {

    @Reference
    private AbsentService absent;

    @Override
    public String name() {
        return "absent";
    }

    @Override
    public String synopsis() {
        return "absent                     describe a service that does not exist";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) {
        out.println(absent.describe());
    }
}

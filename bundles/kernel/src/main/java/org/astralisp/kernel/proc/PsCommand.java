package org.astralisp.kernel.proc;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The console's {@code ps}: every process, {@code -T} with its threads. Present while a {@link ProcessTable} is. */
@Component(service = ConsoleCommand.class)
public final class PsCommand implements ConsoleCommand {

    private final ProcessTable table;

    @Activate
    public PsCommand(@Reference ProcessTable table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String synopsis() {
        return "ps [-T]                    processes: pid, parent, group, session, uid, state, CPU time, pages, "
                + "command; -T their threads";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        boolean threads = args.equals(List.of("-T"));
        if (!args.isEmpty() && !threads) {
            throw new CommandException("unknown arguments '" + String.join(" ", args) + "' (usage: ps [-T])");
        }
        out.print(ProcessListing.render(table.processes(), threads));
    }
}

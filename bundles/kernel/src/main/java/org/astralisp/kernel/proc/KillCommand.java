package org.astralisp.kernel.proc;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code kill PID [SIG]}: sends SIG (a name, with or without
 * {@code SIG}, or a number; TERM if absent) as the kernel; a negative PID
 * names a process group.
 */
@Component(service = ConsoleCommand.class)
public final class KillCommand implements ConsoleCommand {

    private final ProcessTable table;

    @Activate
    public KillCommand(@Reference ProcessTable table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String synopsis() {
        return "kill PID [SIG]             send SIG (name or number, TERM if absent) to PID, or to group -PID";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (args.isEmpty() || args.size() > 2) {
            throw new CommandException("takes a pid and optionally a signal (usage: kill PID [SIG])");
        }
        int pid;
        try {
            pid = Integer.parseInt(args.get(0));
        } catch (NumberFormatException e) {
            throw new CommandException("'" + args.get(0) + "' is not a pid (usage: kill PID [SIG])");
        }
        try {
            Signal signal = args.size() == 2 ? Signal.parse(args.get(1)) : Signal.TERM;
            table.kill(pid, signal);
        } catch (SystemCallException e) {
            throw new CommandException(e.getMessage());
        }
    }
}

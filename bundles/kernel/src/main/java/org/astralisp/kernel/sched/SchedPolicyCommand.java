package org.astralisp.kernel.sched;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.UnknownPolicyException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code sched-policy}: without an argument, the registered
 * policies with the one in use marked {@code *}; with a name, swaps to that
 * policy live (every queued thread moves to its queues).
 */
@Component(service = ConsoleCommand.class)
public final class SchedPolicyCommand implements ConsoleCommand {

    private final CpuScheduler scheduler;

    @Activate
    public SchedPolicyCommand(@Reference CpuScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return "sched-policy";
    }

    @Override
    public String synopsis() {
        return "sched-policy [NAME]        list scheduling policies (* in use), or swap to NAME live";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (args.size() > 1) {
            throw new CommandException("takes at most one policy name, got '" + String.join(" ", args)
                    + "' (usage: sched-policy [NAME])");
        }
        String current = scheduler.policy();
        if (args.isEmpty()) {
            for (String policy : scheduler.policies()) {
                out.println((policy.equals(current) ? "* " : "  ") + policy);
            }
            return;
        }
        try {
            scheduler.setPolicy(args.getFirst());
        } catch (UnknownPolicyException e) {
            throw new CommandException(e.getMessage());
        }
        out.println("policy " + current + " -> " + scheduler.policy());
    }
}

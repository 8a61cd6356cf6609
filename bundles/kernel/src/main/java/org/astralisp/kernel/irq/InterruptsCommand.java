package org.astralisp.kernel.irq;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;

/**
 * The console's {@code interrupts}, after Linux's {@code /proc/interrupts}: a
 * header of CPUs; one row per requested line with its count on each CPU, the
 * controller, the trigger (and {@code masked}) and the handlers' names; then
 * one row each for timer interrupts ({@code LOC}), inter-processor interrupts
 * ({@code IPI}), cross-call functions ({@code CAL}), spurious interrupts
 * ({@code SPU}) and unknown causes ({@code UNK}).
 */
final class InterruptsCommand implements ConsoleCommand {

    private final Supplier<InterruptSnapshot> snapshot;

    InterruptsCommand(Supplier<InterruptSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public String name() {
        return "interrupts";
    }

    @Override
    public String synopsis() {
        return "interrupts                 interrupt counts per line and CPU, timer, IPIs, cross calls, spurious";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (!args.isEmpty()) {
            throw new CommandException("takes no arguments, got '" + String.join(" ", args)
                    + "' (usage: interrupts)");
        }
        out.print(render(snapshot.get()));
    }

    static String render(InterruptSnapshot s) {
        StringBuilder text = new StringBuilder("    ");
        for (int cpu = 0; cpu < s.cpus(); cpu++) {
            text.append(String.format(Locale.ROOT, " %10s", "CPU" + cpu));
        }
        text.append('\n');
        for (InterruptSnapshot.Line line : s.lines()) {
            row(text, String.valueOf(line.line()), line.counts());
            text.append("  ").append(String.format(Locale.ROOT, "%-12s", s.controller()))
                    .append(String.format(Locale.ROOT, " %-6s", line.trigger().name().toLowerCase(Locale.ROOT)))
                    .append(line.masked() ? " masked  " : "         ").append(String.join(", ", line.names()))
                    .append('\n');
        }
        row(text, "LOC", s.timer());
        text.append("  timer interrupts\n");
        row(text, "IPI", s.ipis());
        text.append("  inter-processor interrupts\n");
        row(text, "CAL", s.crossCalls());
        text.append("  cross-call functions\n");
        row(text, "SPU", s.spurious());
        text.append("  spurious interrupts\n");
        row(text, "UNK", s.unknown());
        text.append("  unknown causes\n");
        return text.toString();
    }

    private static void row(StringBuilder text, String label, long[] counts) {
        text.append(String.format(Locale.ROOT, "%3s:", label));
        for (long count : counts) {
            text.append(String.format(Locale.ROOT, " %10d", count));
        }
    }
}

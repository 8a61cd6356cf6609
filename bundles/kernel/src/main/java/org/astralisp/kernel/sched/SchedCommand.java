package org.astralisp.kernel.sched;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.CpuStatistics;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code sched}: the policy; per vCPU its run queue's length,
 * the thread it runs, its context switches, slice ticks and threads pulled
 * from other vCPUs; then the kernel threads not yet ended with their state,
 * vCPU, CPU time and scheduling attributes. Present exactly while a
 * {@link CpuScheduler} is.
 */
@Component(service = ConsoleCommand.class)
public final class SchedCommand implements ConsoleCommand {

    private static final String CPU_ROW = "%-4s %7s  %-20s %10s %10s %8s%n";
    private static final String THREAD_ROW = "%-20s %-9s %4s %12s  %-8s %4s %5s  %s%n";

    private final CpuScheduler scheduler;

    @Activate
    public SchedCommand(@Reference CpuScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return "sched";
    }

    @Override
    public String synopsis() {
        return "sched                      scheduler: policy, run queues, switches per vCPU, kernel threads";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (!args.isEmpty()) {
            throw new CommandException("takes no arguments, got '" + String.join(" ", args) + "' (usage: sched)");
        }
        out.print(render(scheduler.policy(), scheduler.statistics(), scheduler.threads(), scheduler.cpus()));
    }

    static String render(String policy, List<CpuStatistics> cpus, List<KernelThread> threads, int cpuCount) {
        StringBuilder text = new StringBuilder("policy ").append(policy).append("\n\n");
        text.append(String.format(Locale.ROOT, CPU_ROW, "CPU", "queued", "running", "switches", "ticks", "pulled"));
        for (CpuStatistics cpu : cpus) {
            text.append(String.format(Locale.ROOT, CPU_ROW, cpu.cpu(), cpu.queued(),
                    cpu.running() == null ? "-" : cpu.running(), cpu.switches(), cpu.ticks(), cpu.pulled()));
        }
        text.append('\n').append(threads.size()).append(threads.size() == 1 ? " kernel thread" : " kernel threads");
        if (threads.isEmpty()) {
            return text.append('\n').toString();
        }
        text.append("\n\n").append(String.format(Locale.ROOT, THREAD_ROW, "thread", "state", "CPU", "CPU time",
                "class", "prio", "nice", "affinity"));
        for (KernelThread thread : threads) {
            SchedulingAttributes attributes = thread.attributes();
            text.append(String.format(Locale.ROOT, THREAD_ROW, thread.name(), thread.state(), thread.cpu(),
                    millis(thread.cpuTime()), attributes.priorityClass().name().toLowerCase(Locale.ROOT),
                    attributes.priority(), attributes.nice(), attributes.affinityText(cpuCount)));
        }
        return text.toString();
    }

    private static String millis(Duration time) {
        return String.format(Locale.ROOT, "%.1f ms", time.toNanos() / 1e6);
    }
}

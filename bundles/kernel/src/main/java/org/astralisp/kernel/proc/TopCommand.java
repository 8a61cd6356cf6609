package org.astralisp.kernel.proc;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The console's {@code top}: the processes by their share of a CPU over the
 * last interval, refreshed every second until {@code q} is typed (then
 * Enter: the console tty is line-buffered, the boot SPI's
 * {@link Terminal#read()} hands over whole lines, so no single key can be
 * read) or ^C, end of input or a hangup; {@code top -n N} prints N frames
 * without reading the terminal (Linux's batch mode).
 *
 * <p>The command runs on the boot monitor's host thread, not a kernel
 * thread, so it waits with the host's timed waits; the terminal is read by a
 * host thread of its own for as long as the command runs.
 */
@Component(service = ConsoleCommand.class)
public final class TopCommand implements ConsoleCommand {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final ProcessTable table;
    private final Terminal terminal;
    private final Duration interval;

    @Activate
    public TopCommand(@Reference ProcessTable table, @Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY, target = "(name=ttyS0)") Terminal terminal) {
        this(table, terminal, INTERVAL);
    }

    TopCommand(ProcessTable table, Terminal terminal, Duration interval) {
        this.table = table;
        this.terminal = terminal;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "top";
    }

    @Override
    public String synopsis() {
        return "top [-n N]                 processes by CPU share, every second until q; -n N: N frames, no input";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (args.isEmpty()) {
            interactive(out);
        } else if (args.size() == 2 && args.get(0).equals("-n")) {
            batch(frames(args.get(1)), out);
        } else {
            throw new CommandException("unknown arguments '" + String.join(" ", args) + "' (usage: top [-n N])");
        }
    }

    private static int frames(String text) throws CommandException {
        try {
            int frames = Integer.parseInt(text);
            if (frames >= 1) {
                return frames;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new CommandException("-n takes a number of frames of at least 1, got '" + text + "'");
    }

    private void batch(int frames, PrintWriter out) throws CommandException {
        Map<Integer, Duration> before = cpuTimes(table.processes());
        for (int frame = 0; frame < frames; frame++) {
            sleep();
            before = printFrame(before, out);
        }
    }

    private void sleep() throws CommandException {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        }
    }

    private void interactive(PrintWriter out) throws CommandException {
        if (terminal == null) {
            throw new CommandException("no console terminal to read q from; use top -n N");
        }
        CountDownLatch quit = new CountDownLatch(1);
        Thread keys = Thread.ofPlatform().daemon().name("top-keys").start(() -> readUntilQuit(quit));
        try {
            out.println("top: type q and Enter to quit");
            Map<Integer, Duration> before = cpuTimes(table.processes());
            while (!quit.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                before = printFrame(before, out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        } finally {
            keys.interrupt();
        }
    }

    /** Reads lines until {@code q}, ^C, end of input or a hangup. */
    private void readUntilQuit(CountDownLatch quit) {
        try {
            while (true) {
                TerminalInput input = terminal.read();
                if (!(input instanceof TerminalInput.Line line)
                        || new String(line.bytes(), StandardCharsets.UTF_8).strip().equals("q")) {
                    quit.countDown();
                    return;
                }
            }
        } catch (InterruptedException e) {
            quit.countDown(); // the command ended
        }
    }

    /** Prints a frame against {@code before}; the CPU times to compare the next frame with. */
    private Map<Integer, Duration> printFrame(Map<Integer, Duration> before, PrintWriter out) {
        List<ProcessStatus> now = table.processes();
        out.print(render(now, before, interval));
        out.flush();
        return cpuTimes(now);
    }

    static Map<Integer, Duration> cpuTimes(List<ProcessStatus> processes) {
        Map<Integer, Duration> times = new HashMap<>();
        processes.forEach(p -> times.put(p.pid(), p.cpuTime()));
        return times;
    }

    /** One frame: a summary by state, then the processes by CPU share over {@code interval}, then by pid. */
    static String render(List<ProcessStatus> now, Map<Integer, Duration> before, Duration interval) {
        Map<Integer, Double> share = new HashMap<>();
        for (ProcessStatus p : now) {
            Duration used = p.cpuTime().minus(before.getOrDefault(p.pid(), Duration.ZERO));
            share.put(p.pid(), 100.0 * used.toNanos() / interval.toNanos());
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%ntop: %d processes: %d running, %d sleeping, %d stopped, %d zombie%n",
                now.size(), count(now, ProcessState.RUNNING), count(now, ProcessState.SLEEPING),
                count(now, ProcessState.STOPPED), count(now, ProcessState.ZOMBIE)));
        text.append(String.format(Locale.ROOT, "%5s %5s %s %6s %10s %7s %s%n", "PID", "UID", "S", "%CPU", "TIME",
                "THREADS", "COMMAND"));
        now.stream().sorted(Comparator.comparingDouble((ProcessStatus p) -> -share.get(p.pid()))
                .thenComparingInt(ProcessStatus::pid)).forEach(p -> text.append(String.format(Locale.ROOT,
                        "%5d %5d %c %6.1f %10s %7d %s%n", p.pid(), p.uid(), p.state().letter(), share.get(p.pid()),
                        ProcessListing.time(p.cpuTime()), p.threads().size(), p.command())));
        return text.toString();
    }

    private static long count(List<ProcessStatus> processes, ProcessState state) {
        return processes.stream().filter(p -> p.state() == state).count();
    }
}

package org.astralisp.it.testbundles.counterload;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.boot.spi.SwapSafeService;
import org.astralisp.sample.counter.api.Counter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code counter-load start|status|mark PHASE|stop|probe}: drives the sample
 * counter from inside the image the way a client bundle uses a swappable
 * service.
 *
 * <p>It holds the counter through {@link SwapSafeService}, not through a DS
 * reference: a static reference would deactivate this component when the
 * counter's old version goes, which is exactly the interruption a hot swap must
 * not cause. Console commands run one at a time on the console thread;
 * {@code load} is volatile because SCR may deactivate the component from another
 * thread (a shutdown).
 */
@Component(service = ConsoleCommand.class)
public final class CounterLoadCommand implements ConsoleCommand {

    /** How long a call may wait for a counter across a swap before it counts as failed. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final SwapSafeService<Counter> counter;
    private volatile CounterLoad load;

    @Activate
    public CounterLoadCommand(BundleContext context) {
        counter = new SwapSafeService<>(context, Counter.class, PATIENCE);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (load != null) {
            load.stop();
        }
        counter.close();
    }

    @Override
    public String name() {
        return "counter-load";
    }

    @Override
    public String synopsis() {
        return "counter-load start|status|mark PHASE|stop|probe   call Counter.increment() in a loop (test bundle)";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (args.size() == 2 && args.getFirst().equals("mark")) {
            running().mark(args.get(1));
            out.println("phase " + args.get(1));
            return;
        }
        if (args.size() != 1) {
            throw new CommandException("usage: counter-load start|status|mark PHASE|stop|probe");
        }
        switch (args.getFirst()) {
            case "start" -> {
                if (load != null) {
                    throw new CommandException("the load is already running");
                }
                long baseline = counter.call(Counter::value);
                load = CounterLoad.start(counter, baseline);
                out.println("load started at value=" + baseline);
            }
            case "status" -> out.println(running().report());
            case "stop" -> {
                CounterLoad stopping = running();
                try {
                    stopping.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CommandException("interrupted while stopping the load");
                }
                load = null;
                out.println(stopping.report());
            }
            case "probe" -> out.println("value=" + counter.call(Counter::value)
                    + " implementation=" + counter.call(Counter::implementation));
            default -> throw new CommandException("unknown subcommand '" + args.getFirst()
                    + "' (start, status, mark PHASE, stop or probe)");
        }
    }

    private CounterLoad running() throws CommandException {
        if (load == null) {
            throw new CommandException("no load is running (counter-load start)");
        }
        return load;
    }
}

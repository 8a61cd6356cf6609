import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.Program;
import org.astralisp.kernel.api.proc.ProgramLoader;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.proc.KernelProcessTable;
import org.astralisp.kernel.sched.KernelTimerService;
import org.astralisp.kernel.sched.Scheduler;

/**
 * bench/proc: processes on a 2-vCPU x86_64 machine model with its real
 * local-APIC drivers, the interrupt framework, the scheduler and the process
 * table (no VMM: processes without address spaces). Prints figures only:
 *
 * <ul>
 * <li>a system call: {@code getpid()} in a loop in a program (entry: find the
 * caller, deliver signals, check the CPU limit);</li>
 * <li>spawn+exit+wait: a program spawns a child that returns at once and waits
 * for it, in a loop (pid, table entry, thread, zombie, reap);</li>
 * <li>signal latency: from {@code kill(USR1)} on a host thread to the handler
 * running on a CPU-bound program thread that polls its safepoint.</li>
 * </ul>
 *
 * Each figure is the best and the median of RUNS runs, after one warm-up run.
 */
public final class Proc {

    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int spawns = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int signals = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        KernelMachine kernel = new KernelMachine(2);
        Scheduler scheduler = kernel.scheduler;
        Programs programs = new Programs();
        KernelProcessTable table = new KernelProcessTable(scheduler, new KernelTimerService(scheduler), null,
                () -> List.of(programs));
        try {
            System.out.printf(Locale.ROOT, "bench proc: %d calls, %d spawns, %d signals a run, best and median of %d"
                    + " runs (Java %s, %d host cores)%n", calls, spawns, signals, RUNS,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            double[] call = measure(() -> inProgram(table, programs, (sys, a) -> {
                for (int i = 0; i < calls; i++) {
                    sys.getpid();
                }
                return 0;
            }) / calls);
            ProgramImage child = programs.image((sys, a) -> 0);
            double[] spawn = measure(() -> 1e9 / (inProgram(table, programs, (sys, a) -> {
                for (int i = 0; i < spawns; i++) {
                    sys.wait(sys.spawn(child, List.of()), false);
                }
                return 0;
            }) / spawns));
            double[] latency = signalLatency(table, programs, signals);
            System.out.printf(Locale.ROOT, "%n  %-52s %9s  %9s%n", "", "best", "median");
            System.out.printf(Locale.ROOT, "  %-52s %9.0f  %9.0f%n", "system call getpid() (ns)", call[0], call[1]);
            System.out.printf(Locale.ROOT, "  %-52s %9.0f  %9.0f%n", "spawn+exit+wait of a process (/s)", spawn[2],
                    spawn[1]);
            System.out.printf(Locale.ROOT, "  %-52s %9.1f  %9.1f   p99 %.1f%n",
                    "kill -> handler at the next safepoint (µs)", latency[0], latency[1], latency[2]);
        } finally {
            table.close();
            Thread.sleep(200);
            kernel.close();
        }
    }

    /** Runs {@code program} as a process until it is reaped; nanoseconds from spawn to gone. */
    static double inProgram(KernelProcessTable table, Programs programs, Program program) throws InterruptedException {
        long start = System.nanoTime();
        int pid = table.spawn(programs.image(program), List.of(), Credentials.ROOT, ResourceLimits.DEFAULT);
        while (table.status(pid).isPresent()) {
            Thread.onSpinWait();
        }
        return System.nanoTime() - start;
    }

    /** Latencies of {@code count} USR1 deliveries: best, median, p99 in µs. */
    static double[] signalLatency(KernelProcessTable table, Programs programs, int count) throws Exception {
        AtomicLong handled = new AtomicLong();
        AtomicLong ready = new AtomicLong();
        int pid = table.spawn(programs.image((sys, a) -> {
            sys.sigaction(Signal.USR1, SignalDisposition.handler(s -> handled.set(System.nanoTime())));
            ready.set(1);
            while (true) {
                Safepoint.poll();
            }
        }), List.of(), Credentials.ROOT, ResourceLimits.DEFAULT);
        while (ready.get() == 0) {
            Thread.onSpinWait();
        }
        double[] micros = new double[count];
        for (int i = -100; i < count; i++) {
            handled.set(0);
            long sent = System.nanoTime();
            table.kill(pid, Signal.USR1);
            while (handled.get() == 0) {
                Thread.onSpinWait();
            }
            if (i >= 0) {
                micros[i] = (handled.get() - sent) / 1e3;
            }
        }
        table.kill(pid, Signal.KILL);
        Arrays.sort(micros);
        return new double[] {micros[0], micros[count / 2], micros[count * 99 / 100]};
    }

    interface Measured {
        double run() throws Exception;
    }

    /** Best (lowest), median, and best as highest for rates: [min, median, max]. */
    static double[] measure(Measured measured) throws Exception {
        measured.run();
        double[] values = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            values[i] = measured.run();
        }
        Arrays.sort(values);
        return new double[] {values[0], values[RUNS / 2], values[RUNS - 1]};
    }

    /** Programs by name, loaded from {@code bench:NAME}. */
    static final class Programs implements ProgramLoader {
        private final Map<String, Program> programs = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "bench programs";
        }

        @Override
        public boolean accepts(ProgramImage image) {
            return image.scheme().equals("bench");
        }

        @Override
        public Program load(ProgramImage image) {
            return programs.get(image.location().substring(6));
        }

        ProgramImage image(Program program) {
            String name = "p" + programs.size();
            programs.put(name, program);
            return ProgramImage.at("bench:" + name);
        }
    }
}

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sync.Semaphore;
import org.astralisp.kernel.sched.Scheduler;

/**
 * bench/sched: kernel threads on a 2-vCPU x86_64 machine model with its real
 * local-APIC drivers, the kernel's interrupt framework and scheduler, as the
 * kernel's tests build them. Prints figures only, never pass/fail:
 *
 * <ul>
 * <li>round trip: thread A sends on a channel, thread B receives and answers
 * on a second channel, A receives (two channels of capacity 1; each side
 * blocks on every receive, so each round trip is two switches on one vCPU,
 * two wake-ups across vCPUs). Both threads on vCPU 0, then A on 0 and B on 1.</li>
 * <li>spawn+exit: a kernel thread on vCPU 0 creates and starts a thread on
 * vCPU 1 that releases a semaphore and ends; the spawner waits for it
 * (sequential: latency), then spawns batches of 100 before waiting for all of
 * them (throughput).</li>
 * <li>reference: two host platform threads handing a value back and forth
 * over two {@link SynchronousQueue}s.</li>
 * </ul>
 *
 * Each figure is the best and the median of RUNS runs, after one warm-up run.
 */
public final class Sched {

    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int spawns = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        KernelMachine kernel = new KernelMachine(2);
        Scheduler scheduler = kernel.scheduler;
        try {
            System.out.printf(Locale.ROOT, "bench sched: %d round trips a run, %d spawns a run, best and median of %d"
                    + " runs (Java %s, %d host cores)%n", roundTrips, spawns, RUNS,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            double[] reference = measure(() -> hostRoundTrip(roundTrips) / roundTrips);
            double[] oneVcpu = measure(() -> kernelRoundTrip(scheduler, 0, 0, roundTrips) / roundTrips);
            double[] twoVcpus = measure(() -> kernelRoundTrip(scheduler, 0, 1, roundTrips) / roundTrips);
            System.out.printf(Locale.ROOT, "%n  round trip (A -> B -> A)                          best µs  median µs  vs"
                    + " reference (median)%n");
            row("reference: 2 host platform threads, SynchronousQueue", reference, reference);
            row("kernel threads over a channel, one vCPU", oneVcpu, reference);
            row("kernel threads over a channel, two vCPUs", twoVcpus, reference);

            double[] sequential = measure(() -> spawnAndExit(scheduler, spawns, 1));
            double[] batched = measure(() -> spawnAndExit(scheduler, spawns, 100));
            System.out.printf(Locale.ROOT, "%n  spawn+exit of kernel threads (vCPU 0 spawns on vCPU 1)   best /s  median /s%n");
            System.out.printf(Locale.ROOT, "  %-52s %9.0f  %9.0f%n", "one at a time (start, run, end, wake the spawner)",
                    sequential[2], sequential[1]);
            System.out.printf(Locale.ROOT, "  %-52s %9.0f  %9.0f%n", "in batches of 100", batched[2], batched[1]);
        } finally {
            kernel.close();
        }
    }

    private interface Run {
        double once() throws Exception;
    }

    /** One warm-up, then RUNS runs: {smallest, median, largest}. */
    private static double[] measure(Run run) throws Exception {
        run.once();
        double[] results = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            results[i] = run.once();
        }
        Arrays.sort(results);
        return new double[] {results[0], results[RUNS / 2], results[RUNS - 1]};
    }

    private static void row(String what, double[] nanos, double[] reference) {
        System.out.printf(Locale.ROOT, "  %-52s %7.2f  %9.2f  %6.2fx%n", what, nanos[0] / 1000, nanos[1] / 1000,
                nanos[1] / reference[1]);
    }

    /** Nanoseconds for {@code n} round trips between two kernel threads on {@code cpuA} and {@code cpuB}. */
    private static double kernelRoundTrip(Scheduler scheduler, int cpuA, int cpuB, int n) throws Exception {
        Channel<Long> ping = new Channel<>("ping", 1);
        Channel<Long> pong = new Channel<>("pong", 1);
        AtomicLong elapsed = new AtomicLong();
        KernelThread b = scheduler.thread(cpuB, "B", () -> {
            for (int i = 0; i < n; i++) {
                pong.send(ping.receive() + 1);
            }
        });
        KernelThread a = scheduler.thread(cpuA, "A", () -> {
            long start = System.nanoTime();
            long value = 0;
            for (int i = 0; i < n; i++) {
                ping.send(value);
                value = pong.receive();
            }
            elapsed.set(System.nanoTime() - start);
            if (value != n) {
                throw new IllegalStateException("round trips lost a message: " + value + " of " + n);
            }
        });
        b.start();
        a.start();
        join(a);
        join(b);
        return elapsed.get();
    }

    /** Spawned-and-ended kernel threads per second: vCPU 0 spawns {@code n} threads on vCPU 1, {@code batch} at a time. */
    private static double spawnAndExit(Scheduler scheduler, int n, int batch) throws Exception {
        Semaphore ended = new Semaphore("ended", 0);
        AtomicLong elapsed = new AtomicLong();
        KernelThread spawner = scheduler.thread(0, "spawner", () -> {
            long start = System.nanoTime();
            for (int done = 0; done < n; done += batch) {
                for (int i = 0; i < batch; i++) {
                    scheduler.thread(1, "child", ended::release).start();
                }
                for (int i = 0; i < batch; i++) {
                    ended.acquire();
                }
            }
            elapsed.set(System.nanoTime() - start);
        });
        spawner.start();
        join(spawner);
        return n / (elapsed.get() / 1e9);
    }

    private static void join(KernelThread thread) throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(120))) {
            throw new IllegalStateException(thread + " did not end within 120 s");
        }
        if (thread.failure() != null) {
            throw new IllegalStateException(thread + " failed", thread.failure());
        }
    }

    /** Nanoseconds for {@code n} round trips between two host platform threads over SynchronousQueues. */
    private static double hostRoundTrip(int n) throws Exception {
        SynchronousQueue<Long> ping = new SynchronousQueue<>();
        SynchronousQueue<Long> pong = new SynchronousQueue<>();
        Thread b = Thread.ofPlatform().name("B").start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    pong.put(ping.take() + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        long value = 0;
        for (int i = 0; i < n; i++) {
            ping.put(value);
            value = pong.take();
        }
        long elapsed = System.nanoTime() - start;
        b.join();
        return elapsed;
    }
}

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.LockSupport;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * ./astra bench switch: the two thread mechanisms ARCHITECTURE §4 names for
 * the kernel's scheduler, prototyped and measured side by side (issue 4):
 *
 *   (a) program threads are virtual threads that must hold a vCPU token to
 *       run; a switch hands the token to the next thread (unpark) and parks;
 *   (b) the vCPU's own host thread runs program threads as one-shot
 *       continuations (jdk.internal.vm.Continuation); a switch is a yield
 *       back to the vCPU's loop, which runs the next one.
 *
 * Figures: a context-switch round trip between two threads on one vCPU
 * (A -> B -> A), and the preemption latency: a timer sets "needs resched"
 * every millisecond while A spins polling it at its safepoints; the latency is
 * from the flag being set to B running. The reference, in the same run: a
 * round trip between two host platform threads over a SynchronousQueue.
 * Prints figures only.
 */
public final class Switch {

    static final ContinuationScope SCOPE = new ContinuationScope("vcpu");
    static volatile boolean needResched;
    static volatile long flagSetAt;

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int preemptions = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        System.out.printf("bench switch: %d round trips (best of 5 runs, after a warm-up), %d preemptions each%n",
                roundTrips, preemptions);
        System.out.printf("  machine: %d host cpus, java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        double reference = best(() -> platformThreads(roundTrips), roundTrips);
        double tokens = best(() -> virtualThreadsWithToken(roundTrips), roundTrips);
        double continuations = best(() -> continuationsOnVcpu(roundTrips), roundTrips);
        System.out.println();
        System.out.println("  context-switch round trip (A -> B -> A on one vCPU)      ns     vs reference");
        row("reference: 2 platform threads, SynchronousQueue", reference, reference);
        row("(a) virtual threads + vCPU token (unpark/park)", tokens, reference);
        row("(b) continuations on the vCPU thread (yield/run)", continuations, reference);
        System.out.println();
        System.out.println("  preemption latency (flag set -> next thread runs)       median      p99      max (µs)");
        latencies("(a) virtual threads + vCPU token", preemptTokens(preemptions));
        latencies("(b) continuations on the vCPU thread", preemptContinuations(preemptions));
    }

    interface Run {
        long nanos() throws Exception;
    }

    /** The best of five timed runs after one warm-up, in ns per round trip. */
    static double best(Run run, int roundTrips) throws Exception {
        run.nanos();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, run.nanos());
        }
        return (double) best / roundTrips;
    }

    static void row(String name, double nanos, double reference) {
        System.out.printf("  %-52s %8.0f  %6.2fx%n", name, nanos, nanos / reference);
    }

    static void latencies(String name, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf("  %-52s %8.1f %8.1f %8.1f%n", name, nanos[nanos.length / 2] / 1e3,
                nanos[(int) (nanos.length * 0.99)] / 1e3, nanos[nanos.length - 1] / 1e3);
    }

    static long platformThreads(int roundTrips) throws Exception {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        Thread b = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < roundTrips; i++) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < roundTrips; i++) {
            ping.put(i);
            pong.take();
        }
        long nanos = System.nanoTime() - start;
        b.join();
        return nanos;
    }

    /** (a): the token is "who owns the vCPU"; a switch hands it over and parks until it comes back. */
    static final class VcpuToken {
        volatile Thread owner;

        void handTo(Thread next) {
            owner = next;
            LockSupport.unpark(next);
            Thread self = Thread.currentThread();
            while (owner != self) {
                LockSupport.park(this);
            }
        }

        void await() {
            Thread self = Thread.currentThread();
            while (owner != self) {
                LockSupport.park(this);
            }
        }
    }

    static long virtualThreadsWithToken(int roundTrips) throws Exception {
        VcpuToken vcpu = new VcpuToken();
        Thread[] threads = new Thread[2];
        CountDownLatch ready = new CountDownLatch(2);
        long[] times = new long[2];
        threads[1] = Thread.ofVirtual().unstarted(() -> {
            ready.countDown();
            vcpu.await();
            for (int i = 0; i < roundTrips; i++) {
                vcpu.handTo(threads[0]);
            }
        });
        threads[0] = Thread.ofVirtual().unstarted(() -> {
            ready.countDown();
            vcpu.await();
            times[0] = System.nanoTime();
            for (int i = 0; i < roundTrips; i++) {
                vcpu.handTo(threads[1]);
            }
            times[1] = System.nanoTime();
            vcpu.owner = threads[1];
            LockSupport.unpark(threads[1]);
        });
        threads[0].start();
        threads[1].start();
        ready.await();
        vcpu.owner = threads[0];
        LockSupport.unpark(threads[0]);
        threads[0].join();
        threads[1].join();
        return times[1] - times[0];
    }

    /** (b): the vCPU thread runs A and B in turn; each yields back after one step. */
    static long continuationsOnVcpu(int roundTrips) throws Exception {
        long[] nanos = new long[1];
        Thread vcpu = Thread.ofPlatform().name("vcpu0").start(() -> {
            Runnable body = () -> {
                while (true) {
                    Continuation.yield(SCOPE);
                }
            };
            Continuation a = new Continuation(SCOPE, body);
            Continuation b = new Continuation(SCOPE, body);
            a.run();
            b.run();
            long start = System.nanoTime();
            for (int i = 0; i < roundTrips; i++) {
                a.run(); // A runs until its next yield (a switch to the vCPU loop), then B
                b.run();
            }
            nanos[0] = System.nanoTime() - start;
        });
        vcpu.join();
        return nanos[0];
    }

    /** The timer: sets the flag every millisecond, as the timer interrupt would. */
    static Thread timer(int preemptions, CountDownLatch done) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (done.getCount() > 0) {
                LockSupport.parkNanos(1_000_000);
                if (!needResched) {
                    flagSetAt = System.nanoTime();
                    needResched = true;
                }
            }
        });
    }

    static long[] preemptTokens(int preemptions) throws Exception {
        needResched = false;
        VcpuToken vcpu = new VcpuToken();
        long[] latencies = new long[preemptions];
        CountDownLatch done = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        threads[1] = Thread.ofVirtual().unstarted(() -> { // B: woken by each preemption, records, gives back
            vcpu.await();
            for (int i = 0; i < preemptions; i++) {
                latencies[i] = System.nanoTime() - flagSetAt;
                vcpu.handTo(threads[0]);
            }
            done.countDown();
            vcpu.owner = threads[0];
            LockSupport.unpark(threads[0]);
        });
        threads[0] = Thread.ofVirtual().unstarted(() -> { // A: CPU-bound, a safepoint poll per iteration
            vcpu.await();
            long spins = 0;
            while (done.getCount() > 0) {
                spins++;
                if (needResched) {
                    needResched = false;
                    vcpu.handTo(threads[1]);
                }
            }
            if (spins == 42) {
                System.out.print("");
            }
        });
        threads[0].start();
        threads[1].start();
        vcpu.owner = threads[0];
        LockSupport.unpark(threads[0]);
        Thread timer = timer(preemptions, done);
        done.await();
        threads[0].join();
        threads[1].join();
        timer.join();
        return latencies;
    }

    static long[] preemptContinuations(int preemptions) throws Exception {
        needResched = false;
        long[] latencies = new long[preemptions];
        CountDownLatch done = new CountDownLatch(1);
        Thread timer = timer(preemptions, done);
        Thread vcpu = Thread.ofPlatform().name("vcpu0").start(() -> {
            int[] count = {0};
            Continuation a = new Continuation(SCOPE, () -> { // CPU-bound, a safepoint poll per iteration
                while (true) {
                    if (needResched) {
                        needResched = false;
                        Continuation.yield(SCOPE);
                    }
                }
            });
            Continuation b = new Continuation(SCOPE, () -> {
                while (true) {
                    latencies[count[0]++] = System.nanoTime() - flagSetAt;
                    Continuation.yield(SCOPE);
                }
            });
            while (count[0] < preemptions) {
                a.run();
                b.run();
            }
        });
        vcpu.join();
        done.countDown();
        timer.join();
        return latencies;
    }
}

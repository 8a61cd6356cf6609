package org.astralisp.it.testbundles.counterload;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.astralisp.boot.spi.SwapSafeService;
import org.astralisp.sample.counter.api.Counter;

/**
 * A thread that calls {@link Counter#increment()} through
 * {@link SwapSafeService} as fast as it can, counting successful calls and
 * failures, remembering the value the last call returned and the longest any
 * one call took.
 *
 * <p>The longest call of the whole run is not the service gap of a swap: JIT
 * compilation, collections and the scheduler stall single calls by milliseconds
 * too. So the run is cut into phases marked from the console (before, during and
 * after a swap), and each call counts in the phase in which it began; the
 * longest call of the swap's phase, next to those of the others, shows the gap.
 *
 * <p>Only the load thread writes the counters; the console thread reads them.
 * They are atomics so that a report taken while the load runs sees recent
 * values; a report taken after {@link #stop} sees the final ones, because
 * {@code Thread.join} orders the thread's writes before it.
 */
final class CounterLoad {

    private static final long STOP_TIMEOUT_MS = 10_000;

    /** The calls that began while one phase was on. */
    private record Phase(String name, AtomicLong calls, AtomicLong maxWaitNanos) {
        Phase(String name) {
            this(name, new AtomicLong(), new AtomicLong());
        }

        @Override
        public String toString() {
            return name + ":" + calls.get() + "/" + TimeUnit.NANOSECONDS.toMicros(maxWaitNanos.get());
        }
    }

    private final SwapSafeService<Counter> counter;
    private final long baseline;
    private final Thread thread;
    private volatile boolean running = true;
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private volatile Phase phase;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastValue = new AtomicLong();
    private final AtomicLong maxWaitNanos = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    private CounterLoad(SwapSafeService<Counter> counter, long baseline) {
        this.counter = counter;
        this.baseline = baseline;
        this.lastValue.set(baseline);
        mark("start");
        this.thread = new Thread(this::run, "counter-load");
        thread.setDaemon(true);
    }

    /** Starts the load on a counter that stands at {@code baseline}. */
    static CounterLoad start(SwapSafeService<Counter> counter, long baseline) {
        CounterLoad load = new CounterLoad(counter, baseline);
        load.thread.start();
        return load;
    }

    /** Starts a new phase: calls that begin from now on count in it. */
    void mark(String name) {
        Phase next = new Phase(name);
        phases.add(next);
        phase = next;
    }

    private void run() {
        while (running) {
            Phase current = phase;
            long began = System.nanoTime();
            try {
                lastValue.set(counter.call(Counter::increment));
                calls.incrementAndGet();
                current.calls().incrementAndGet();
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, e.toString());
            }
            long took = System.nanoTime() - began;
            maxWaitNanos.accumulateAndGet(took, Math::max);
            current.maxWaitNanos().accumulateAndGet(took, Math::max);
        }
    }

    /** Stops the load and waits for its last call to finish. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(STOP_TIMEOUT_MS);
        if (thread.isAlive()) {
            throw new IllegalStateException("the load thread did not stop within " + STOP_TIMEOUT_MS + " ms");
        }
    }

    /**
     * {@code calls=N failures=F maxWaitMicros=W lastValue=V baseline=B phases=NAME:CALLS/MAXMICROS,...
     * [firstFailure=...]}.
     */
    String report() {
        String failure = firstFailure.get();
        return "calls=" + calls.get() + " failures=" + failures.get()
                + " maxWaitMicros=" + TimeUnit.NANOSECONDS.toMicros(maxWaitNanos.get())
                + " lastValue=" + lastValue.get() + " baseline=" + baseline
                + " phases=" + phases.stream().map(Phase::toString).collect(Collectors.joining(","))
                + (failure == null ? "" : " firstFailure=" + failure);
    }
}

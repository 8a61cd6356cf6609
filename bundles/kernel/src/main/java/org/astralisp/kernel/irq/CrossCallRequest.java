package org.astralisp.kernel.irq;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/**
 * One {@code runOn}: the action and a latch the caller waits on, counted down
 * once per target, the caller itself included, when it has run the action (or
 * was found stopped).
 * What an action threw is kept per CPU for the caller.
 */
final class CrossCallRequest {

    final IntConsumer action;
    final CountDownLatch done;
    final Map<Integer, Throwable> failures = new ConcurrentSkipListMap<>();

    CrossCallRequest(IntConsumer action, int targets) {
        this.action = action;
        this.done = new CountDownLatch(targets);
    }

    /** Runs the action for {@code cpu}, records what it threw, and counts the CPU done. */
    void runOn(int cpu) {
        try {
            action.accept(cpu);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            failures.put(cpu, e);
        } finally {
            done.countDown();
        }
    }
}

package org.astralisp.kernel.sched;

import java.util.ArrayDeque;

/** Round robin: runnable threads in the order they became runnable. */
final class FifoRunQueue implements RunQueue {

    private final ArrayDeque<ContinuationThread> threads = new ArrayDeque<>();

    @Override
    public void add(ContinuationThread thread) {
        threads.add(thread);
    }

    @Override
    public ContinuationThread next() {
        return threads.poll();
    }

    @Override
    public boolean isEmpty() {
        return threads.isEmpty();
    }
}

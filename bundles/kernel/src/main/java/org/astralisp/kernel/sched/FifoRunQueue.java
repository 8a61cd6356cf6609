package org.astralisp.kernel.sched;

import java.util.ArrayDeque;
import java.util.List;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.ScheduledThread;

/** Round robin: runnable threads in the order they became runnable, whatever their attributes. */
final class FifoRunQueue implements RunQueue {

    private final ArrayDeque<ScheduledThread> threads = new ArrayDeque<>();

    @Override
    public void add(ScheduledThread thread, Arrival arrival) {
        threads.add(thread);
    }

    @Override
    public ScheduledThread next() {
        return threads.poll();
    }

    @Override
    public boolean remove(ScheduledThread thread) {
        return threads.remove(thread);
    }

    @Override
    public List<ScheduledThread> threads() {
        return List.copyOf(threads);
    }

    @Override
    public int size() {
        return threads.size();
    }

    @Override
    public void ran(ScheduledThread thread, long nanos) {
        // Round robin keeps no account: the slice timer alone bounds a run.
    }
}

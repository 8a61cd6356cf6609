package org.astralisp.kernel.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.ScheduledThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;

/**
 * Strict priority: one FIFO per level, the highest non-empty level first
 * (POSIX {@code SCHED_RR} with its classes stacked: every real-time level
 * above every normal level above every idle level). A bit per non-empty
 * level finds the highest in one scan (Linux's {@code rt_prio_array} bitmap).
 *
 * <p>A queued thread's level is kept in its policy slot ({@link Level}), so
 * that {@link #remove} finds it where it was queued even if its attributes
 * changed since.
 */
final class PriorityRunQueue implements RunQueue {

    private static final int PER_CLASS = SchedulingAttributes.MAX_PRIORITY + 1;
    private static final int LEVELS = PriorityClass.values().length * PER_CLASS;

    /** Where a thread was queued. */
    record Level(int index) {
    }

    @SuppressWarnings("unchecked")
    private final ArrayDeque<ScheduledThread>[] levels = new ArrayDeque[LEVELS];
    private final BitSet occupied = new BitSet(LEVELS);
    private int size;

    /** 0 (idle, priority 0) .. LEVELS-1 (real time, priority 99): higher runs first. */
    static int level(SchedulingAttributes attributes) {
        int classBase = (PriorityClass.values().length - 1 - attributes.priorityClass().ordinal()) * PER_CLASS;
        return classBase + attributes.priority();
    }

    @Override
    public void add(ScheduledThread thread, Arrival arrival) {
        int index = level(thread.attributes());
        if (levels[index] == null) {
            levels[index] = new ArrayDeque<>();
        }
        levels[index].add(thread);
        occupied.set(index);
        thread.policyState(new Level(index));
        size++;
    }

    @Override
    public ScheduledThread next() {
        int index = occupied.previousSetBit(LEVELS - 1);
        if (index < 0) {
            return null;
        }
        ScheduledThread thread = levels[index].poll();
        if (levels[index].isEmpty()) {
            occupied.clear(index);
        }
        size--;
        return thread;
    }

    @Override
    public boolean remove(ScheduledThread thread) {
        if (!(thread.policyState() instanceof Level(int index)) || levels[index] == null
                || !levels[index].remove(thread)) {
            return false;
        }
        if (levels[index].isEmpty()) {
            occupied.clear(index);
        }
        size--;
        return true;
    }

    @Override
    public List<ScheduledThread> threads() {
        List<ScheduledThread> all = new ArrayList<>(size);
        for (int index = occupied.previousSetBit(LEVELS - 1); index >= 0; index = occupied.previousSetBit(index - 1)) {
            all.addAll(levels[index]);
        }
        return all;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void ran(ScheduledThread thread, long nanos) {
        // Strict priority keeps no account: a level runs round robin with the slice timer.
    }
}

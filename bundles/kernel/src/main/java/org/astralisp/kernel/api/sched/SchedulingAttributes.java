package org.astralisp.kernel.api.sched;

import java.util.BitSet;
import java.util.Objects;

/**
 * How the scheduler treats a thread: its priority class and priority (the
 * strict-priority policy), its nice value (the fair-share policy's weight)
 * and the CPUs it may run on. Immutable: the affinity is copied in and out.
 *
 * @param priorityClass the class under the strict-priority policy
 * @param priority      0..{@value #MAX_PRIORITY} within the class; higher runs first
 * @param nice          {@value #MIN_NICE}..{@value #MAX_NICE}; lower gets a larger share under the fair policy
 * @param affinity      the CPUs the thread may run on; not empty (bits beyond the machine's CPUs are ignored)
 */
public record SchedulingAttributes(PriorityClass priorityClass, int priority, int nice, BitSet affinity) {

    public static final int MAX_PRIORITY = 99;
    public static final int MIN_NICE = -20;
    public static final int MAX_NICE = 19;
    /** The most CPUs an affinity can name. */
    public static final int MAX_CPUS = 256;

    /** A normal thread, priority 0, nice 0, on any CPU. */
    public static final SchedulingAttributes DEFAULT = new SchedulingAttributes(PriorityClass.NORMAL, 0, 0,
            anyCpu());

    /**
     * @throws IllegalArgumentException naming the value out of range, or an empty affinity
     */
    public SchedulingAttributes {
        Objects.requireNonNull(priorityClass, "priorityClass");
        Objects.requireNonNull(affinity, "affinity");
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is out of range 0.." + MAX_PRIORITY);
        }
        if (nice < MIN_NICE || nice > MAX_NICE) {
            throw new IllegalArgumentException("nice " + nice + " is out of range " + MIN_NICE + ".." + MAX_NICE);
        }
        if (affinity.isEmpty() || affinity.nextSetBit(0) >= MAX_CPUS) {
            throw new IllegalArgumentException("affinity " + affinity + " names no CPU (CPUs are 0.."
                    + (MAX_CPUS - 1) + ")");
        }
        affinity = (BitSet) affinity.clone();
        affinity.clear(MAX_CPUS, Math.max(MAX_CPUS, affinity.length()));
    }

    /** Every CPU an affinity can name. */
    public static BitSet anyCpu() {
        BitSet all = new BitSet(MAX_CPUS);
        all.set(0, MAX_CPUS);
        return all;
    }

    /** Just these CPUs. */
    public static BitSet cpus(int... cpus) {
        BitSet set = new BitSet();
        for (int cpu : cpus) {
            if (cpu < 0) {
                throw new IllegalArgumentException("CPU " + cpu + " is negative");
            }
            set.set(cpu);
        }
        return set;
    }

    @Override
    public BitSet affinity() {
        return (BitSet) affinity.clone();
    }

    /** Whether the thread may run on {@code cpu}. */
    public boolean allows(int cpu) {
        return cpu >= 0 && affinity.get(cpu);
    }

    public SchedulingAttributes withPriority(PriorityClass newClass, int newPriority) {
        return new SchedulingAttributes(newClass, newPriority, nice, affinity);
    }

    public SchedulingAttributes withNice(int newNice) {
        return new SchedulingAttributes(priorityClass, priority, newNice, affinity);
    }

    public SchedulingAttributes withAffinity(BitSet newAffinity) {
        return new SchedulingAttributes(priorityClass, priority, nice, newAffinity);
    }

    /** The affinity as the console shows it: {@code all}, or CPU numbers like {@code 0,2-3}, within {@code cpus}. */
    public String affinityText(int cpus) {
        BitSet within = affinity.get(0, cpus);
        if (within.cardinality() == cpus) {
            return "all";
        }
        StringBuilder text = new StringBuilder();
        for (int from = within.nextSetBit(0); from >= 0; from = within.nextSetBit(from)) {
            int to = within.nextClearBit(from) - 1;
            text.append(text.isEmpty() ? "" : ",").append(from).append(to > from ? "-" + to : "");
            from = to + 1;
        }
        return text.isEmpty() ? "none" : text.toString();
    }
}

package org.astralisp.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.RunQueue.Arrival;
import org.astralisp.kernel.api.sched.ScheduledThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.junit.jupiter.api.Test;

/** The three policies' run queues on their own: the order they give, placement, accounting. */
class RunQueuesTest {

    /** A thread as a policy sees it, with no vCPU behind it. */
    static final class Entity implements ScheduledThread {
        final String name;
        SchedulingAttributes attributes;
        Object state;

        Entity(String name, SchedulingAttributes attributes) {
            this.name = name;
            this.attributes = attributes;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public SchedulingAttributes attributes() {
            return attributes;
        }

        @Override
        public Object policyState() {
            return state;
        }

        @Override
        public void policyState(Object s) {
            state = s;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Entity entity(String name, PriorityClass priorityClass, int priority) {
        return new Entity(name, SchedulingAttributes.DEFAULT.withPriority(priorityClass, priority));
    }

    static Entity nice(String name, int nice) {
        return new Entity(name, SchedulingAttributes.DEFAULT.withNice(nice));
    }

    /** Runs {@code queue}'s next thread for one slice and queues it again, as the executor does; gives the thread. */
    static ScheduledThread runSlice(RunQueue queue) {
        ScheduledThread next = queue.next();
        queue.ran(next, VcpuExecutor.SLICE);
        queue.add(next, Arrival.YIELDED);
        return next;
    }

    static List<String> drain(RunQueue queue) {
        List<String> order = new ArrayList<>();
        for (ScheduledThread next = queue.next(); next != null; next = queue.next()) {
            order.add(next.name());
        }
        return order;
    }

    @Test
    void roundRobinGivesThreadsInArrivalOrderWhateverTheirAttributes() {
        RunQueue queue = new RoundRobinPolicy().runQueue(0);
        queue.add(entity("idle", PriorityClass.IDLE, 0), Arrival.NEW);
        queue.add(entity("rt", PriorityClass.REALTIME, 50), Arrival.WOKEN);
        queue.add(nice("n", -20), Arrival.YIELDED);
        assertEquals(List.of("idle", "rt", "n"), drain(queue));
    }

    @Test
    void strictPriorityRunsHigherClassesFirstThenHigherPriorityThenArrival() {
        RunQueue queue = new PriorityPolicy().runQueue(0);
        queue.add(entity("idle", PriorityClass.IDLE, 99), Arrival.NEW);
        queue.add(entity("normal-0", PriorityClass.NORMAL, 0), Arrival.NEW);
        queue.add(entity("normal-5a", PriorityClass.NORMAL, 5), Arrival.NEW);
        queue.add(entity("rt-1", PriorityClass.REALTIME, 1), Arrival.NEW);
        queue.add(entity("normal-5b", PriorityClass.NORMAL, 5), Arrival.NEW);
        queue.add(entity("rt-90", PriorityClass.REALTIME, 90), Arrival.NEW);
        assertEquals(6, queue.size());
        assertEquals(List.of("rt-90", "rt-1", "normal-5a", "normal-5b", "normal-0", "idle"),
                queue.threads().stream().map(ScheduledThread::name).toList());
        assertEquals(List.of("rt-90", "rt-1", "normal-5a", "normal-5b", "normal-0", "idle"), drain(queue));
        assertTrue(queue.isEmpty());
    }

    @Test
    void aPriorityThreadIsRemovedFromWhereItWasQueuedEvenAfterItsAttributesChanged() {
        RunQueue queue = new PriorityPolicy().runQueue(0);
        Entity moving = entity("moving", PriorityClass.NORMAL, 3);
        queue.add(moving, Arrival.NEW);
        queue.add(entity("other", PriorityClass.NORMAL, 3), Arrival.NEW);
        moving.attributes = moving.attributes.withPriority(PriorityClass.REALTIME, 7);
        assertTrue(queue.remove(moving));
        assertFalse(queue.remove(moving), "removed twice");
        queue.add(moving, Arrival.MIGRATED);
        assertEquals(List.of("moving", "other"), drain(queue));
    }

    @Test
    void niceWeightsAreLinuxsTable() {
        assertEquals(1024, NiceWeights.weight(SchedulingAttributes.DEFAULT));
        assertEquals(335, NiceWeights.weight(SchedulingAttributes.DEFAULT.withNice(5)));
        assertEquals(88761, NiceWeights.weight(SchedulingAttributes.DEFAULT.withNice(-20)));
        assertEquals(15, NiceWeights.weight(SchedulingAttributes.DEFAULT.withNice(19)));
        assertEquals(3, NiceWeights.weight(SchedulingAttributes.DEFAULT.withPriority(PriorityClass.IDLE, 0)));
    }

    @Test
    void fairRunsTheLeastVirtualRuntimeAndAdvancesItByCpuTimeOverWeight() {
        FairRunQueue queue = new FairRunQueue();
        Entity heavy = nice("nice0", 0);
        Entity light = nice("nice5", 5);
        queue.add(heavy, Arrival.NEW);
        queue.add(light, Arrival.NEW);
        long[] cpu = new long[2];
        for (int slice = 0; slice < 4350; slice++) {
            cpu[runSlice(queue) == heavy ? 0 : 1] += VcpuExecutor.SLICE;
        }
        double ratio = (double) cpu[0] / cpu[1];
        assertEquals(1024.0 / 335, ratio, 0.01, "CPU time of nice 0 over nice 5");
        assertTrue(queue.vruntime(heavy) > 0 && Math.abs(queue.vruntime(heavy) - queue.vruntime(light))
                <= VcpuExecutor.SLICE * 1024 / 335, "their virtual runtimes stay within one slice");
    }

    @Test
    void fairPlacesNewThreadsBehindAndSleepersAtMostHalfASliceAhead() {
        FairRunQueue queue = new FairRunQueue();
        Entity runner = nice("runner", 0);
        queue.add(runner, Arrival.NEW);
        for (int i = 0; i < 100; i++) {
            runSlice(queue);
        }
        long min = queue.minVruntime();
        assertTrue(min >= 99 * VcpuExecutor.SLICE, "min vruntime follows the runner: " + min);

        Entity fresh = nice("fresh", 0);
        queue.add(fresh, Arrival.NEW);
        assertEquals(min + VcpuExecutor.SLICE, queue.vruntime(fresh), "a new thread starts a slice behind");

        Entity sleeper = nice("sleeper", 0);
        sleeper.state = null;
        FairRunQueue.Account old = new FairRunQueue.Account();
        old.frame = queue;
        old.vruntime = 0; // slept through the whole run
        sleeper.state = old;
        queue.add(sleeper, Arrival.WOKEN);
        assertEquals(min - VcpuExecutor.SLICE / 2, queue.vruntime(sleeper), "a sleeper's credit is half a slice");
        assertSame(sleeper, queue.next());
    }

    @Test
    void aMigratingFairThreadKeepsItsLagAgainstTheOthers() {
        FairRunQueue busy = new FairRunQueue();
        Entity a = nice("a", 0);
        Entity b = nice("b", 0);
        busy.add(a, Arrival.NEW);
        busy.add(b, Arrival.NEW);
        for (int i = 0; i < 50; i++) {
            runSlice(busy);
        }
        long lag = busy.vruntime(b) - busy.minVruntime();
        FairRunQueue quiet = new FairRunQueue();
        Entity resident = nice("resident", 0);
        quiet.add(resident, Arrival.NEW);
        long base = quiet.minVruntime();
        assertTrue(busy.remove(b));
        quiet.add(b, Arrival.MIGRATED);
        assertTrue(lag > 0, "b is behind a: " + lag);
        assertEquals(base + lag, quiet.vruntime(b));
        assertEquals(-1, busy.vruntime(b), "its account moved to the other queue's time line");
        assertFalse(busy.remove(b));
    }

    @Test
    void aThreadWithAnotherPolicysStateStartsFairAtTheMinimum() {
        FairRunQueue queue = new FairRunQueue();
        Entity swapped = nice("swapped", 0);
        new PriorityPolicy().runQueue(0).add(swapped, Arrival.NEW);
        queue.add(swapped, Arrival.MIGRATED);
        assertEquals(queue.minVruntime(), queue.vruntime(swapped));
        assertSame(swapped, queue.next());
        assertNull(queue.next());
    }

    @Test
    void attributesOutOfRangeAreRefusedNamingTheValue() {
        SchedulingAttributes base = SchedulingAttributes.DEFAULT;
        assertEquals("nice 20 is out of range -20..19",
                assertThrows(IllegalArgumentException.class, () -> base.withNice(20)).getMessage());
        assertEquals("priority 100 is out of range 0..99", assertThrows(IllegalArgumentException.class,
                () -> base.withPriority(PriorityClass.REALTIME, 100)).getMessage());
        assertEquals("affinity {} names no CPU (CPUs are 0..255)", assertThrows(IllegalArgumentException.class,
                () -> base.withAffinity(new java.util.BitSet())).getMessage());
        assertEquals("0,2-3", base.withAffinity(SchedulingAttributes.cpus(0, 2, 3)).affinityText(4));
        assertEquals("all", base.affinityText(2));
        assertFalse(base.withAffinity(SchedulingAttributes.cpus(1)).allows(0));
    }
}

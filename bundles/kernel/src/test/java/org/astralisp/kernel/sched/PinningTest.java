package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jdk.internal.vm.Continuation;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.PinnedYieldException;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A yield that finds the thread's continuation pinned is reported where it
 * was attempted, naming the thread, instead of running on to completion; the
 * thread stays on its vCPU and can go on once unpinned.
 */
@Timeout(60)
class PinningTest {

    private static final String PINNED = "kernel thread 'pinned' on CPU 0 cannot yield: its continuation is pinned by ";

    @Test
    void aYieldInACriticalSectionRaisesPinnedYieldExceptionNamingTheThread() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicReference<Throwable> raised = new AtomicReference<>();
            List<String> steps = new ArrayList<>();
            KernelThread thread = kernel.start(0, "pinned", () -> {
                Continuation.pin();
                try {
                    KernelThread.yield();
                    steps.add("yielded while pinned");
                } catch (PinnedYieldException e) {
                    raised.set(e);
                    steps.add("refused, still " + KernelThread.current().state());
                } finally {
                    Continuation.unpin();
                }
                KernelThread.yield();
                steps.add("yielded once unpinned");
            });
            awaitEnd(thread);
            PinnedYieldException e = assertInstanceOf(PinnedYieldException.class, raised.get());
            assertEquals("pinned", e.thread());
            assertEquals("CRITICAL_SECTION", e.reason());
            assertEquals(PINNED + "CRITICAL_SECTION; a kernel thread yields only with no native frame or critical"
                    + " section on its stack", e.getMessage());
            assertEquals(List.of("refused, still RUNNING", "yielded once unpinned"), steps);
            assertNull(thread.failure());
        }
    }

    @Test
    void aBlockingWaitInACriticalSectionRaisesItAndLeavesTheQueue() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            WaitQueue queue = new WaitQueue("never");
            AtomicReference<Throwable> raised = new AtomicReference<>();
            KernelThread thread = kernel.start(0, "pinned", () -> {
                Continuation.pin();
                try {
                    queue.await(() -> false);
                } catch (PinnedYieldException e) {
                    raised.set(e);
                } finally {
                    Continuation.unpin();
                }
            });
            awaitEnd(thread);
            assertEquals("CRITICAL_SECTION", assertInstanceOf(PinnedYieldException.class, raised.get()).reason());
            assertEquals(0, queue.waiting(), "the failed waiter left the queue");
            assertEquals(State.DEAD, thread.state());
        }
    }

    /** The upcall's comparator: a safepoint inside a native frame, with the vCPU marked needs-resched. */
    static int compareAtSafepoint(MemorySegment a, MemorySegment b) {
        current.scheduler.executor(KernelThread.current().cpu()).requestReschedule();
        try {
            Safepoint.poll();
        } catch (PinnedYieldException e) {
            NATIVE.set(e);
        }
        return Integer.compare(a.get(ValueLayout.JAVA_INT, 0), b.get(ValueLayout.JAVA_INT, 0));
    }

    /** What the comparator caught; the machine whose executor it marks. Statics: an upcall target is a static method. */
    static final AtomicReference<Throwable> NATIVE = new AtomicReference<>();
    static SchedulerOnMachine current;

    @Test
    void aPreemptionInsideANativeFrameRaisesItNamingTheThread() throws Throwable {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            current = kernel;
            NATIVE.set(null);
            Linker linker = Linker.nativeLinker();
            MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS));
            MethodHandle compare = MethodHandles.lookup().findStatic(PinningTest.class, "compareAtSafepoint",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            AtomicReference<int[]> sorted = new AtomicReference<>();
            KernelThread thread = kernel.start(0, "pinned", () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment values = arena.allocateFrom(ValueLayout.JAVA_INT, 3, 1, 2);
                    MemorySegment comparator = linker.upcallStub(compare, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT),
                            ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT)), arena);
                    qsort.invokeExact(values, 3L, 4L, comparator);
                    sorted.set(values.toArray(ValueLayout.JAVA_INT));
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
            awaitEnd(thread);
            PinnedYieldException e = assertInstanceOf(PinnedYieldException.class, NATIVE.get());
            assertEquals("NATIVE", e.reason());
            assertEquals("pinned", e.thread());
            assertEquals(List.of(1, 2, 3), java.util.Arrays.stream(sorted.get()).boxed().toList());
        } finally {
            current = null;
        }
    }

    /**
     * JDK 25 does not pin a continuation for a monitor (JEP 491 reaches raw
     * continuations): a yield inside {@code synchronized} succeeds and the vCPU
     * thread keeps owning the monitor. No exception can be raised for it, so
     * kernel code must never yield holding one (docs/kernel.md, "Pinning").
     * This test notices if a JDK update changes that.
     */
    @Test
    void onJdk25AYieldInsideSynchronizedIsNotPinned() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Object monitor = new Object();
            List<String> steps = new ArrayList<>();
            KernelThread holder = kernel.start(0, "holder", () -> {
                synchronized (monitor) {
                    steps.add("holder in");
                    while (!steps.contains("other ran")) {
                        KernelThread.yield(); // until the other thread has run on this vCPU
                    }
                    steps.add("holder out");
                }
            });
            KernelThread other = kernel.start(0, "other", () -> steps.add("other ran"));
            awaitEnd(holder);
            awaitEnd(other);
            assertEquals(List.of("holder in", "other ran", "holder out"), steps);
        }
    }
}

package org.astralisp.machine.irq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.VirtualCpuSignals;

/**
 * A vCPU test double: it has interrupt sources in priority order and takes the first pending one
 * the way a vCPU safepoint does (pending, then acknowledge), and it counts kicks.
 */
public final class TestCpu implements VirtualCpuSignals {

    private final int id;
    private final List<InterruptSource> sources = new CopyOnWriteArrayList<>();
    private final Semaphore kickPermits = new Semaphore(0);
    private final AtomicInteger kicks = new AtomicInteger();

    public TestCpu(int id) {
        this.id = id;
    }

    public static List<TestCpu> cpus(int count) {
        List<TestCpu> cpus = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cpus.add(new TestCpu(i));
        }
        return cpus;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void kick() {
        kicks.incrementAndGet();
        kickPermits.release();
    }

    public void attach(List<InterruptSource> ordered) {
        sources.addAll(ordered);
    }

    public int kicks() {
        return kicks.get();
    }

    /** Whether some source is pending. */
    public boolean interruptPending() {
        return sources.stream().anyMatch(InterruptSource::pending);
    }

    /** Takes the highest-priority pending source's interrupt: its cause, or empty if none is pending. */
    public OptionalLong take() {
        for (InterruptSource source : sources) {
            if (source.pending()) {
                return OptionalLong.of(source.acknowledge());
            }
        }
        return OptionalLong.empty();
    }

    /** Like a halted vCPU: waits for kicks until an interrupt can be taken, at most {@code timeout}. */
    public OptionalLong awaitInterrupt(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalLong cause = take();
            long left = deadline - System.nanoTime();
            if (cause.isPresent() || left <= 0) {
                return cause;
            }
            kickPermits.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
    }

    /** Waits for the next kick, at most {@code timeout}; returns whether one came. */
    public boolean awaitKick(Duration timeout) throws InterruptedException {
        return kickPermits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Forgets kicks so far. */
    public void drainKicks() {
        kickPermits.drainPermits();
    }
}

package org.astralisp.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Why a kernel thread never moves to another vCPU after its first run
 * (docs/kernel.md, "The scheduler and its policies"): a continuation resumed
 * on another host thread can keep seeing the old one as
 * {@code Thread.currentThread()} in its compiled frames. A canary like
 * {@code PinningTest}'s: if a JDK stops doing this, this test fails, and
 * migration of running threads can be reconsidered.
 */
@Timeout(60)
class MigrationHazardTest {

    private static final ContinuationScope SCOPE = new ContinuationScope("hazard");

    /** A hot loop that compares the current thread with the one it should be, and yields. */
    private static Continuation loop(Thread[] expected, AtomicLong stale, AtomicLong checks) {
        return new Continuation(SCOPE, () -> {
            while (true) {
                for (int i = 0; i < 1000; i++) {
                    if (Thread.currentThread() != expected[0]) {
                        stale.incrementAndGet();
                    }
                    checks.incrementAndGet();
                }
                Continuation.yield(SCOPE);
            }
        });
    }

    @Test
    void aCompiledFrameResumedOnAnotherHostThreadSeesTheOldOne() throws Exception {
        Thread[] expected = new Thread[1];
        AtomicLong stale = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        Continuation continuation = loop(expected, stale, checks);
        long deadline = System.nanoTime() + 20_000_000_000L;
        int mounts = 0;
        while (stale.get() == 0 && System.nanoTime() < deadline) {
            Thread carrier = Thread.ofPlatform().unstarted(continuation::run);
            expected[0] = carrier;
            carrier.start();
            carrier.join();
            mounts++;
        }
        System.out.println("migration hazard: " + stale.get() + " stale Thread.currentThread() of " + checks.get()
                + " checks, over " + mounts + " host threads");
        assertTrue(stale.get() > 0, "after " + mounts + " host threads and " + checks.get() + " checks, every"
                + " compiled frame saw its current host thread: this JDK may let kernel threads migrate");
    }
}

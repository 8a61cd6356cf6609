package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;

import org.astralisp.kernel.api.sched.KernelThread;

/** Runs a test's steps as a kernel thread, and fails the test with what the thread threw. */
final class OnKernelThread {

    private OnKernelThread() {
    }

    /** Runs {@code body} on {@code cpu} as kernel thread {@code name}, waits (bounded) for its end, rethrows its failure. */
    static void run(SchedulerOnMachine kernel, int cpu, String name, Runnable body) throws InterruptedException {
        KernelThread thread = kernel.start(cpu, name, body);
        awaitEnd(thread);
        ended(thread);
    }

    /** Fails with what {@code thread} (ended) threw, if it threw. */
    static void ended(KernelThread thread) {
        Throwable failure = thread.failure();
        if (failure instanceof AssertionError assertion) {
            throw assertion;
        }
        if (failure != null) {
            throw new AssertionError(thread + " failed: " + failure, failure);
        }
    }
}

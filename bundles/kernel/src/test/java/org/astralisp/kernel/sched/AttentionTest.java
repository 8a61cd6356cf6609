package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The attention hook signals use: handlers at safepoints, interruptible waits. */
@Timeout(60)
class AttentionTest {

    @Test
    void aCpuBoundThreadRunsItsHandlerAtItsNextSafepointOnItself() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicLong polls = new AtomicLong();
            AtomicReference<String> handledBy = new AtomicReference<>();
            KernelThread thread = kernel.scheduler.thread(0, "looper", () -> {
                while (handledBy.get() == null) {
                    Safepoint.poll();
                    polls.incrementAndGet();
                }
            });
            thread.setAttentionHandler(() -> handledBy.set(KernelThread.current().name()));
            thread.start();
            eventually("the loop runs", () -> polls.get() > 1000);
            thread.requestAttention();
            awaitEnd(thread);
            assertEquals("looper", handledBy.get(), "the handler ran on the thread itself");
            assertFalse(thread.attentionPending(), "attended to");
        }
    }

    @Test
    void aThreadAskedBeforeItRunsAttendsAtItsFirstSafepoint() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.RISCV64, 1)) {
            AtomicLong pollsBefore = new AtomicLong(-1);
            AtomicLong polls = new AtomicLong();
            KernelThread thread = kernel.scheduler.thread(0, "late", () -> {
                while (pollsBefore.get() < 0) {
                    Safepoint.poll();
                    polls.incrementAndGet();
                }
            });
            thread.setAttentionHandler(() -> pollsBefore.set(polls.get()));
            thread.requestAttention();
            thread.start();
            awaitEnd(thread);
            assertEquals(0, pollsBefore.get(), "handled at the first poll, alone on its vCPU");
        }
    }

    @Test
    void anInterruptibleWaitReturnsFalseOnAttentionAndLeavesTheQueue() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.RISCV64, 1)) {
            WaitQueue queue = new WaitQueue("test");
            AtomicBoolean condition = new AtomicBoolean();
            AtomicReference<List<Boolean>> results = new AtomicReference<>();
            KernelThread interrupted = kernel.start(0, "interrupted", () -> {
                boolean first = queue.awaitInterruptibly(condition::get);
                KernelThread.attend();
                boolean second = queue.awaitInterruptibly(condition::get);
                results.set(List.of(first, second));
            });
            eventually("the thread waits", () -> queue.waiting() == 1);
            interrupted.requestAttention();
            eventually("it left the queue and waits again", () -> queue.waiting() == 1
                    && !interrupted.attentionPending());
            condition.set(true);
            queue.wakeAll();
            awaitEnd(interrupted);
            assertEquals(List.of(false, true), results.get(), "interrupted once, then woken with the condition true");
        }
    }

    @Test
    void aWakeTakenBeforeTheAttentionIsNotLost() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.PPC64, 1)) {
            WaitQueue queue = new WaitQueue("test");
            AtomicReference<Boolean> result = new AtomicReference<>();
            KernelThread waiter = kernel.start(0, "waiter", () -> result.set(queue.awaitInterruptibly(
                    queue.prepareToWait())));
            eventually("the thread waits", () -> queue.waiting() == 1);
            queue.wakeOne();
            waiter.requestAttention();
            awaitEnd(waiter);
            assertTrue(result.get(), "the wake came first: the wait reports it, not an interruption");
            assertTrue(waiter.attentionPending(), "the attention stays for the next safepoint");
        }
    }
}

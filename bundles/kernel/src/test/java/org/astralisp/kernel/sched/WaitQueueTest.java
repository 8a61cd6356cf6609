package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.testing.Eventually;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ticket protocol of {@link WaitQueue}, at the window a lost wake-up would fall into. */
@Timeout(60)
class WaitQueueTest {

    @Test
    void aWakeBetweenTheCheckAndTheWaitMakesTheWaitReturnAtOnce() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            WaitQueue queue = new WaitQueue("window");
            AtomicBoolean checked = new AtomicBoolean();
            AtomicBoolean woken = new AtomicBoolean();
            KernelThread waiter = kernel.start(0, "waiter", () -> {
                long ticket = queue.prepareToWait();
                checked.set(true); // the condition was false here
                while (!woken.get()) {
                    Thread.onSpinWait(); // the wake comes now, before the wait
                }
                queue.await(ticket); // had the wake been lost, this would block for ever: nobody wakes again
            });
            Eventually.eventually("the waiter checked its condition", checked::get);
            queue.wakeOne(); // nobody is enqueued yet
            woken.set(true);
            awaitEnd(waiter);
            assertEquals(0, queue.waiting());
        }
    }

    @Test
    void wakeOneWakesWaitersInArrivalOrderAndWakeAllTheRest() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            WaitQueue queue = new WaitQueue("fifo");
            StringBuffer order = new StringBuffer();
            KernelThread[] waiters = new KernelThread[3];
            for (int i = 0; i < 3; i++) {
                String name = "w" + i;
                waiters[i] = kernel.start(0, name, () -> {
                    queue.await(queue.prepareToWait());
                    order.append(name).append(' ');
                });
                int count = i + 1;
                Eventually.eventually(name + " waits", () -> queue.waiting() == count);
            }
            queue.wakeOne();
            awaitEnd(waiters[0]);
            assertEquals(State.BLOCKED, waiters[1].state());
            queue.wakeAll();
            awaitEnd(waiters[1]);
            awaitEnd(waiters[2]);
            assertEquals("w0 w1 w2 ", order.toString());
            assertTrue(queue.toString().contains("fifo"));
        }
    }
}

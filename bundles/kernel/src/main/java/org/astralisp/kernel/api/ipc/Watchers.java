package org.astralisp.kernel.api.ipc;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * The wait queues watching an IPC object (a {@link Select}, a system call
 * waiting interruptibly or on several objects): each is woken after every
 * change of the object. Guarded by the object's lock: {@link #add},
 * {@link #remove} and {@link #snapshot} are called holding it, {@link #wake}
 * after releasing it (a wake never blocks, but need not hold the lock).
 */
final class Watchers {

    private final List<WaitQueue> queues = new ArrayList<>();

    void add(WaitQueue queue) {
        queues.add(queue);
    }

    void remove(WaitQueue queue) {
        queues.remove(queue);
    }

    /** The queues to wake once the lock is released, or null if none watches. */
    WaitQueue[] snapshot() {
        return queues.isEmpty() ? null : queues.toArray(new WaitQueue[0]);
    }

    static void wake(WaitQueue[] watching) {
        if (watching != null) {
            for (WaitQueue queue : watching) {
                queue.wakeAll();
            }
        }
    }
}

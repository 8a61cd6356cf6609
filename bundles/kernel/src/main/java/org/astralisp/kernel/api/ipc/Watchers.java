package org.astralisp.kernel.api.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * The wait queues watching an IPC object (a {@link Select}, a system call
 * waiting interruptibly or on several objects): each is woken after every
 * change of the object. Guarded by the object's lock: {@link #add} and
 * {@link #remove} take it, {@link #snapshot} is called holding it (with the
 * change), {@link #wake} after releasing it (a wake never blocks, but need
 * not hold the lock).
 */
final class Watchers {

    private final ReentrantLock lock;
    private final List<WaitQueue> queues = new ArrayList<>();

    /** @param lock the lock of the object watched */
    Watchers(ReentrantLock lock) {
        this.lock = lock;
    }

    void add(WaitQueue queue) {
        lock.lock();
        try {
            queues.add(queue);
        } finally {
            lock.unlock();
        }
    }

    void remove(WaitQueue queue) {
        lock.lock();
        try {
            queues.remove(queue);
        } finally {
            lock.unlock();
        }
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

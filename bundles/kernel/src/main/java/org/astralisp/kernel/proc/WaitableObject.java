package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.HandleType;

/**
 * A kernel object a system call can wait on interruptibly, or together with
 * others ({@code poll}): it wakes the queues that {@linkplain #watch watch}
 * it on every change, and says without waiting whether a read or a write
 * would proceed. The wait itself is the system call table's (a ticket taken
 * before the look, so no change is missed).
 */
abstract class WaitableObject extends KernelObject {

    protected WaitableObject(HandleType type, int owner) {
        super(type, owner);
    }

    /** {@code queue} is woken on every change of the object until {@link #unwatch}. */
    abstract void watch(WaitQueue queue);

    abstract void unwatch(WaitQueue queue);

    /** Whether reading through this handle type is possible at all (a write end cannot be read). */
    abstract boolean readsAllowed();

    /** Whether writing through this handle type is possible at all. */
    abstract boolean writesAllowed();

    /** Whether a read would not wait now (data, or the end). Only when {@link #readsAllowed}. */
    abstract boolean readable();

    /** Whether a write would not wait now (room, or a failure at once). Only when {@link #writesAllowed}. */
    abstract boolean writable();
}

package org.astralisp.kernel.proc;

import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.kernel.api.syscall.HandleType;

/**
 * Something a handle names. Counted: every handle in every table holds one
 * reference, and the object is {@linkplain #release released} when the last
 * handle is closed. {@linkplain #revoke Revoked} by its owner, it stays in
 * the tables that hold it (closing it still works, as after BSD revoke(2))
 * but every other use of any of its handles fails with EIO.
 */
public abstract class KernelObject {

    private final HandleType type;
    private final int owner;
    private final AtomicInteger references = new AtomicInteger();
    private volatile boolean revoked;

    protected KernelObject(HandleType type, int owner) {
        this.type = type;
        this.owner = owner;
    }

    public final HandleType type() {
        return type;
    }

    /** The pid of the process that created it: the one that may revoke it. */
    public final int owner() {
        return owner;
    }

    public final boolean revoked() {
        return revoked;
    }

    /** Every handle to it, in every process, stops working. */
    public final void revoke() {
        revoked = true;
    }

    /** Handles to it in all tables. */
    public final int references() {
        return references.get();
    }

    final void retain() {
        references.incrementAndGet();
    }

    final void drop() {
        if (references.decrementAndGet() == 0) {
            release();
        }
    }

    /** The last handle was closed: give back what it holds. Short, never blocks. */
    protected abstract void release();

    /** {@code shared memory of 65536 bytes}, for messages. */
    public abstract String describe();
}

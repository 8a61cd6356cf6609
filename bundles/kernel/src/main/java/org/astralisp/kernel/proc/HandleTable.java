package org.astralisp.kernel.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.syscall.SystemCallException;

/**
 * A process's capability table: handles are small integers naming kernel
 * objects, the only way a process can name one. A new handle is the lowest
 * free number (as POSIX gives file descriptors, XSH 2.14), up to the
 * process's handle limit (EMFILE beyond).
 *
 * <p>Locking: {@code lock} guards the slots, held for a few array accesses
 * and never while taking another table's lock: a transfer removes from the
 * sender under the sender's lock and installs under the receiver's, putting
 * the handle back if the receiver refuses, so two tables never deadlock.
 * A handle taken out for a copy is retained under the sender's lock, so a
 * concurrent close cannot release the object in between.
 */
public final class HandleTable {

    private final int pid;
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: slot i is handle i, null when free. */
    private final List<KernelObject> slots = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private int count;

    HandleTable(int pid, int limit) {
        this.pid = pid;
        this.limit = limit;
    }

    /** The number of handles it holds. */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** A new handle to {@code object}. @throws SystemCallException EMFILE at the limit */
    public int install(KernelObject object) {
        object.retain();
        try {
            return installRetained(object);
        } catch (SystemCallException e) {
            object.drop();
            throw e;
        }
    }

    /** Installs an object whose reference the caller took; reentrant under {@code lock}. */
    private int installRetained(KernelObject object) {
        lock.lock();
        try {
            if (count >= limit) {
                throw new SystemCallException(Errno.EMFILE, "process " + pid + " holds " + count
                        + " handles, its limit; no handle for " + object.describe());
            }
            int handle = slots.indexOf(null);
            if (handle < 0) {
                handle = slots.size();
                slots.add(object);
            } else {
                slots.set(handle, object);
            }
            count++;
            return handle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The object {@code handle} names, checked to be of {@code type}.
     *
     * @throws SystemCallException EBADF if there is no such handle in this table, EINVAL if it names
     *         another type (as timerfd_settime(2) for an fd that is not a timerfd), EIO if revoked
     */
    public KernelObject get(int handle, HandleType type) {
        return ofType(handle, get(handle), type);
    }

    private KernelObject ofType(int handle, KernelObject object, HandleType type) {
        if (object.type() != type) {
            throw new SystemCallException(Errno.EINVAL, "handle " + handle + " of process " + pid + " names "
                    + object.describe() + ", not a " + type + " handle");
        }
        return object;
    }

    /**
     * {@link #get(int, HandleType)}, with a reference taken (the caller
     * drops it): for a call that waits, so that another thread closing the
     * last handle meanwhile does not release the object under it (as Linux's
     * {@code fdget} holds the file for a blocked read).
     */
    KernelObject retained(int handle, HandleType type) {
        KernelObject object = retained(handle);
        try {
            return ofType(handle, object, type);
        } catch (SystemCallException e) {
            object.drop();
            throw e;
        }
    }

    /** The object {@code handle} names. @throws SystemCallException EBADF if there is none, EIO if revoked */
    public KernelObject get(int handle) {
        KernelObject object;
        lock.lock();
        try {
            object = slot(handle);
        } finally {
            lock.unlock();
        }
        return usable(handle, object);
    }

    private KernelObject usable(int handle, KernelObject object) {
        if (object.revoked()) {
            throw new SystemCallException(Errno.EIO, "handle " + handle + " of process " + pid + " names "
                    + object.describe() + ", which was revoked");
        }
        return object;
    }

    /** Under {@code lock}. */
    private KernelObject slot(int handle) {
        KernelObject object = handle >= 0 && handle < slots.size() ? slots.get(handle) : null;
        if (object == null) {
            throw new SystemCallException(Errno.EBADF, "handle " + handle + ": no such handle in process "
                    + pid + "'s table");
        }
        return object;
    }

    /** A second handle to what {@code handle} names. */
    public int dup(int handle) {
        return installRetained(retained(handle));
    }

    /** Takes a reference to {@code handle}'s object for a copy (under the lock, so a close cannot release it first). */
    KernelObject retained(int handle) {
        KernelObject object;
        lock.lock();
        try {
            object = usable(handle, slot(handle));
            object.retain();
        } finally {
            lock.unlock();
        }
        return object;
    }

    /** Closes {@code handle}; also a revoked one. @throws SystemCallException EBADF if there is no such handle */
    public void close(int handle) {
        KernelObject object;
        lock.lock();
        try {
            object = slot(handle);
            slots.set(handle, null);
            count--;
        } finally {
            lock.unlock();
        }
        object.drop();
    }

    /** Closes every handle (the process ends). */
    void closeAll() {
        List<KernelObject> held;
        lock.lock();
        try {
            held = new ArrayList<>(slots);
            slots.clear();
            count = 0;
        } finally {
            lock.unlock();
        }
        held.stream().filter(o -> o != null).forEach(KernelObject::drop);
    }

    /**
     * Copies {@code handle} into {@code receiver}'s table: the handle number there.
     *
     * @throws SystemCallException as {@link #get(int)} for the handle; EMFILE if the receiver is full,
     *         and nothing changes
     */
    public int copyTo(int handle, HandleTable receiver) {
        KernelObject object = retained(handle);
        try {
            return receiver.installRetained(object);
        } catch (SystemCallException e) {
            object.drop();
            throw e;
        }
    }

    /**
     * Moves {@code handle} into {@code receiver}'s table: it is closed here
     * and the number there is returned; if the receiver is full (EMFILE) it
     * stays here. A move into its own table leaves it where it is. Both tables are locked, in pid order, so the move is
     * atomic and two opposite moves cannot deadlock.
     */
    public int transferTo(int handle, HandleTable receiver) {
        if (receiver == this) {
            get(handle);
            return handle;
        }
        HandleTable first = pid < receiver.pid ? this : receiver;
        HandleTable second = first == this ? receiver : this;
        first.lock.lock();
        try {
            second.lock.lock();
            try {
                KernelObject object = usable(handle, slot(handle));
                int moved = receiver.installRetained(object);
                slots.set(handle, null);
                count--;
                return moved;
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
    }

    /**
     * Installs every object of {@code retained} (references the caller took,
     * which the new handles take over), all or none: EMFILE if they do not
     * all fit, and then nothing is installed and the references stay the
     * caller's. The new handle numbers, in order.
     */
    int[] installAll(List<KernelObject> retained) {
        lock.lock();
        try {
            if (count + retained.size() > limit) {
                throw new SystemCallException(Errno.EMFILE, "process " + pid + " holds " + count + " handles of "
                        + "its limit of " + limit + "; " + retained.size() + " more do not fit");
            }
            int[] handles = new int[retained.size()];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = installRetained(retained.get(i));
            }
            return handles;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes {@code handle} if it still names {@code object} (a send that
     * moved it checks, so that a handle another thread closed and reused
     * meanwhile is not closed by mistake).
     */
    void closeIfHolds(int handle, KernelObject object) {
        lock.lock();
        try {
            if (handle >= slots.size() || slots.get(handle) != object) {
                return;
            }
            slots.set(handle, null);
            count--;
        } finally {
            lock.unlock();
        }
        object.drop();
    }
}

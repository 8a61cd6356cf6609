package org.astralisp.kernel.api.ipc;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * A byte stream through a bounded buffer, with a read end and a write end
 * (POSIX {@code pipe(2)}): what the shell connects commands with.
 *
 * <ul>
 * <li>{@link Reader#read} waits until at least one byte is there and returns
 * what is there (up to the length asked), or -1 (end of file) once the write
 * end is closed and the buffer is empty.</li>
 * <li>{@link Writer#write} writes every byte, waiting while the buffer is
 * full; with the read end closed it throws {@link BrokenPipeException}
 * (POSIX {@code EPIPE}), also to a writer waiting at the time.</li>
 * <li>Closing the read end discards what is buffered; closing the write end
 * lets the reader drain it, then see end of file.</li>
 * </ul>
 *
 * <p>Locking: the ring buffer and both ends' states are guarded by
 * {@code lock} (held for a copy, never across a wait); a side that must wait
 * takes its wait-queue ticket before looking, and the other side wakes after
 * every change, so no wake-up is lost. Blocking reads and writes are for
 * kernel threads (see the package comment). A waiter that must also notice
 * something else (a system call that a signal interrupts, a poll over several
 * objects) {@linkplain #watch watches} the pipe and uses the non-blocking
 * {@link Reader#tryRead} and {@link Writer#tryWrite}, as a {@link Select}
 * watches channels.
 */
public final class Pipe {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: {@code count} bytes from {@code head}, circularly. */
    private final byte[] ring;
    private int head;
    private int count;
    private boolean readClosed;
    private boolean writeClosed;
    /** Guarded by {@code lock}: the queues woken on every change (see {@link #watch}). */
    private final Watchers watchers = new Watchers(lock);
    private final WaitQueue readable;
    private final WaitQueue writable;
    private final Reader reader = new Reader();
    private final Writer writer = new Writer();

    /**
     * @throws IllegalArgumentException if {@code capacity} (bytes) is not positive
     */
    public Pipe(String name, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity <= 0) {
            throw new IllegalArgumentException("pipe " + name + ": capacity " + capacity + " bytes is not positive");
        }
        this.ring = new byte[capacity];
        this.readable = new WaitQueue("pipe " + name + " readable");
        this.writable = new WaitQueue("pipe " + name + " writable");
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return ring.length;
    }

    /** The read end. */
    public Reader reader() {
        return reader;
    }

    /** The write end. */
    public Writer writer() {
        return writer;
    }

    /** The read end of a pipe. */
    public final class Reader implements AutoCloseable {

        private Reader() {
        }

        /**
         * Reads at least one byte and at most {@code length} into
         * {@code into} from {@code offset}, waiting until there is one.
         *
         * @return the bytes read, or -1 at end of file (the write end is
         *         closed and all is read); 0 only if {@code length} is 0
         * @throws IndexOutOfBoundsException if the range is outside {@code into}
         * @throws IllegalStateException if the read end is closed, or it must
         *         wait and the caller is not a kernel thread
         */
        public int read(byte[] into, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                checkReadOpen();
                return 0;
            }
            while (true) {
                long ticket = readable.prepareToWait();
                int read = Pipe.this.tryRead(into, offset, length);
                if (read != 0) {
                    return read;
                }
                readable.await(ticket);
            }
        }

        /**
         * Reads what is there now, at most {@code length} bytes, never waiting. Any thread.
         *
         * @return the bytes read; -1 at end of file; 0 if a read would wait (or {@code length} is 0)
         * @throws IndexOutOfBoundsException if the range is outside {@code into}
         * @throws IllegalStateException if the read end is closed
         */
        public int tryRead(byte[] into, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                checkReadOpen();
                return 0;
            }
            return Pipe.this.tryRead(into, offset, length);
        }

        /** Whether a read would return without waiting: bytes are there, or the write end is closed (end of file). */
        public boolean ready() {
            lock.lock();
            try {
                return count > 0 || writeClosed;
            } finally {
                lock.unlock();
            }
        }

        /** Bytes that a read would return now without waiting. */
        public int available() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }

        /** Closes the read end: buffered bytes are dropped, writers get {@link BrokenPipeException}. Idempotent. */
        @Override
        public void close() {
            closeEnd(() -> {
                readClosed = true;
                count = 0;
            }, writable);
        }
    }

    /** The write end of a pipe. */
    public final class Writer implements AutoCloseable {

        private Writer() {
        }

        /**
         * Writes the {@code length} bytes of {@code from} at {@code offset},
         * waiting while the pipe is full.
         *
         * @throws IndexOutOfBoundsException if the range is outside {@code from}
         * @throws BrokenPipeException if the read end is closed, or closes while this waits
         * @throws IllegalStateException if the write end is closed, or it must
         *         wait and the caller is not a kernel thread
         */
        public void write(byte[] from, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, from.length);
            int written = 0;
            while (true) {
                long ticket = writable.prepareToWait();
                int n = Pipe.this.tryWrite(from, offset + written, length - written, written, length);
                written += n;
                if (written == length) {
                    return;
                }
                if (n == 0) {
                    writable.await(ticket);
                }
            }
        }

        /**
         * Writes what fits now of the {@code length} bytes at {@code offset},
         * never waiting. Any thread.
         *
         * @return the bytes written, 0 if the pipe is full (or {@code length} is 0)
         * @throws IndexOutOfBoundsException if the range is outside {@code from}
         * @throws BrokenPipeException if the read end is closed
         * @throws IllegalStateException if the write end is closed
         */
        public int tryWrite(byte[] from, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, from.length);
            return Pipe.this.tryWrite(from, offset, length, 0, length);
        }

        /** Whether a write would not wait: there is room, or the read end is closed (it would fail at once). */
        public boolean ready() {
            lock.lock();
            try {
                return count < ring.length || readClosed;
            } finally {
                lock.unlock();
            }
        }

        /** Closes the write end: the reader drains what is buffered, then reads end of file. Idempotent. */
        @Override
        public void close() {
            closeEnd(() -> writeClosed = true, readable);
        }
    }

    /** Marks one end closed under the lock, then wakes the other end's waiters and every watcher. */
    private void closeEnd(Runnable markClosed, WaitQueue otherEnd) {
        WaitQueue[] watching;
        lock.lock();
        try {
            markClosed.run();
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        otherEnd.wakeAll();
        Watchers.wake(watching);
    }

    /** Copies out what is there: the count, -1 at end of file, 0 if the reader must wait. */
    private int tryRead(byte[] into, int offset, int length) {
        int n;
        WaitQueue[] watching;
        lock.lock();
        try {
            checkReadOpenLocked();
            if (count == 0) {
                return writeClosed ? -1 : 0;
            }
            n = Math.min(length, count);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, into, offset, first);
            System.arraycopy(ring, 0, into, offset + first, n - first);
            head = (head + n) % ring.length;
            count -= n;
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        writable.wakeAll();
        Watchers.wake(watching);
        return n;
    }

    /** Copies in what fits: the count, 0 if the writer must wait. */
    private int tryWrite(byte[] from, int offset, int length, int writtenBefore, int total) {
        int n;
        WaitQueue[] watching;
        lock.lock();
        try {
            if (writeClosed) {
                throw new IllegalStateException(this + ": write after its write end was closed");
            }
            if (readClosed) {
                throw new BrokenPipeException(name, writtenBefore, total);
            }
            n = Math.min(length, ring.length - count);
            if (n == 0) {
                return 0;
            }
            int tail = (head + count) % ring.length;
            int first = Math.min(n, ring.length - tail);
            System.arraycopy(from, offset, ring, tail, first);
            System.arraycopy(from, offset + first, ring, 0, n - first);
            count += n;
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        readable.wakeAll();
        Watchers.wake(watching);
        return n;
    }

    /**
     * {@code queue} is woken on every change of this pipe (bytes written or
     * read, an end closed) until {@link #unwatch}: what a system call that
     * must wait interruptibly, or for several objects, waits on.
     */
    public void watch(WaitQueue queue) {
        watchers.add(queue);
    }

    /** Stops waking {@code queue}. */
    public void unwatch(WaitQueue queue) {
        watchers.remove(queue);
    }


    private void checkReadOpen() {
        lock.lock();
        try {
            checkReadOpenLocked();
        } finally {
            lock.unlock();
        }
    }

    private void checkReadOpenLocked() {
        if (readClosed) {
            throw new IllegalStateException(this + ": read after its read end was closed");
        }
    }

    @Override
    public String toString() {
        return "pipe " + name;
    }
}

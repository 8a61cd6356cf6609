package org.astralisp.kernel.api.ipc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.astralisp.kernel.api.sched.Timeouts;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * A bounded queue of messages between kernel threads: {@link #send} waits
 * while it is full, {@link #receive()} while it is empty; {@code try}
 * variants never wait, timed ones wait at most a timeout. Messages are
 * received in the order they were sent, each by one receiver. Messages are
 * never null.
 *
 * <h2>Close</h2>
 * {@link #close()} refuses every later send ({@link ChannelClosedException},
 * also to senders waiting at the time); receivers drain the messages sent
 * before it, then see the end of the channel ({@link EndOfChannelException}).
 *
 * <h2>Locking and wake-ups</h2>
 * The ring buffer, {@code closed} and the select watchers are guarded by
 * {@code lock} ({@link ReentrantLock}, held for a few field accesses, never
 * across a wait or a safepoint). A thread that must wait counts itself in
 * {@code receiversWaiting} or {@code sendersWaiting} and then waits on
 * {@code notEmpty} or {@code notFull} with the wait queue's ticket protocol,
 * retrying its operation after each wake. The other side changes the buffer
 * under the lock and then reads that count, waking one waiter if it is
 * positive: a waiter whose try came before the change was counted before
 * it, so it is seen, and its ticket is older than the wake, so its wait
 * returns. With nobody waiting, a send or receive touches no wait queue.
 * {@link Select} watchers are woken on every change.
 *
 * @param <T> the type of the messages
 */
public final class Channel<T> {

    /** What {@link #take()} answers when there is no message now. */
    private static final Object NOTHING = new Object();
    /** What {@link #take()} answers when the channel is closed and drained. */
    private static final Object END = new Object();

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}: {@code count} messages from {@code head}, circularly. */
    private final Object[] ring;
    private int head;
    private int count;
    private boolean closed;
    /** Guarded by {@code lock}: the wait queues of selects watching this channel. */
    private final Watchers watchers = new Watchers(lock);
    private final WaitQueue notEmpty;
    private final WaitQueue notFull;
    private final AtomicInteger receiversWaiting = new AtomicInteger();
    private final AtomicInteger sendersWaiting = new AtomicInteger();

    /**
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public Channel(String name, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity <= 0) {
            throw new IllegalArgumentException("channel " + name + ": capacity " + capacity + " is not positive");
        }
        this.ring = new Object[capacity];
        this.notEmpty = new WaitQueue("channel " + name + " not empty");
        this.notFull = new WaitQueue("channel " + name + " not full");
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return ring.length;
    }

    /** Messages queued now. */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a receive would not wait: a message is there, or the channel is closed (the end, once drained). */
    public boolean readyToReceive() {
        lock.lock();
        try {
            return count > 0 || closed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a send would not wait: there is room, or the channel is closed (it would be refused at once). */
    public boolean readyToSend() {
        lock.lock();
        try {
            return count < ring.length || closed;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code message}, waiting while the channel is full.
     *
     * @throws ChannelClosedException if the channel is closed, or closes while this waits
     * @throws IllegalStateException if it must wait and the caller is not a kernel thread
     */
    public void send(T message) {
        checkMessage(message);
        if (offer(message)) {
            return;
        }
        sendersWaiting.incrementAndGet();
        try {
            notFull.await(() -> offer(message));
        } finally {
            sendersWaiting.decrementAndGet();
        }
    }

    /**
     * {@link #send(Object)}, waiting at most {@code timeout}.
     *
     * @return false if the channel stayed full for {@code timeout} (the message was not queued)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws ChannelClosedException if the channel is closed, or closes while this waits
     */
    public boolean send(T message, Duration timeout) {
        checkMessage(message);
        Timeouts.nanos(timeout, this + ": send");
        if (offer(message)) {
            return true;
        }
        sendersWaiting.incrementAndGet();
        try {
            return notFull.await(() -> offer(message), timeout);
        } finally {
            sendersWaiting.decrementAndGet();
        }
    }

    /**
     * Queues {@code message} if there is room now. Any thread.
     *
     * @return false if the channel is full
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T message) {
        checkMessage(message);
        return offer(message);
    }

    /**
     * The next message, waiting while the channel is empty.
     *
     * @throws EndOfChannelException once the channel is closed and drained
     * @throws IllegalStateException if it must wait and the caller is not a kernel thread
     */
    public T receive() {
        Object message = take();
        if (message == NOTHING) {
            Taker taker = new Taker();
            receiversWaiting.incrementAndGet();
            try {
                notEmpty.await(taker);
            } finally {
                receiversWaiting.decrementAndGet();
            }
            message = taker.taken;
        }
        return delivered(message);
    }

    /**
     * {@link #receive()}, waiting at most {@code timeout}.
     *
     * @return the next message, or null if none came within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws EndOfChannelException once the channel is closed and drained
     */
    public T receive(Duration timeout) {
        Timeouts.nanos(timeout, this + ": receive");
        Object message = take();
        if (message == NOTHING) {
            Taker taker = new Taker();
            receiversWaiting.incrementAndGet();
            try {
                notEmpty.await(taker, timeout);
            } finally {
                receiversWaiting.decrementAndGet();
            }
            message = taker.taken;
        }
        return message == NOTHING ? null : delivered(message);
    }

    /**
     * The next message if there is one now. Any thread.
     *
     * @return the message, or null if the channel is empty
     * @throws EndOfChannelException if the channel is closed and drained
     */
    public T tryReceive() {
        Object message = take();
        return message == NOTHING ? null : delivered(message);
    }

    /**
     * Closes the channel: later sends are refused, waiting senders are woken
     * to be refused, receivers drain what is queued and then see the end.
     * Any thread.
     *
     * @return false if it was closed already
     */
    public boolean close() {
        WaitQueue[] watching;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        notEmpty.wakeAll();
        notFull.wakeAll();
        Watchers.wake(watching);
        return true;
    }

    /** One try of a receive for a wait queue's condition loop: holds what it took. */
    private final class Taker implements BooleanSupplier {
        Object taken = NOTHING;

        @Override
        public boolean getAsBoolean() {
            taken = take();
            return taken != NOTHING;
        }
    }

    @SuppressWarnings("unchecked")
    private T delivered(Object message) {
        if (message == END) {
            throw new EndOfChannelException(name);
        }
        return (T) message;
    }

    private void checkMessage(T message) {
        Objects.requireNonNull(message, () -> this + ": a message is never null");
    }

    /** Queues a message if there is room; then wakes a receiver if one waits. */
    boolean offer(Object message) {
        WaitQueue[] watching;
        lock.lock();
        try {
            if (closed) {
                throw new ChannelClosedException(name, "send");
            }
            if (count == ring.length) {
                return false;
            }
            int tail = head + count;
            ring[tail < ring.length ? tail : tail - ring.length] = message;
            count++;
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        if (receiversWaiting.get() > 0) {
            notEmpty.wakeOne();
        }
        Watchers.wake(watching);
        return true;
    }

    /** The next message, {@link #NOTHING} or {@link #END}; a message taken wakes a sender if one waits. */
    Object take() {
        Object message;
        WaitQueue[] watching;
        lock.lock();
        try {
            if (count == 0) {
                return closed ? END : NOTHING;
            }
            message = ring[head];
            ring[head] = null;
            head = head + 1 == ring.length ? 0 : head + 1;
            count--;
            watching = watchers.snapshot();
        } finally {
            lock.unlock();
        }
        if (sendersWaiting.get() > 0) {
            notFull.wakeOne();
        }
        Watchers.wake(watching);
        return message;
    }

    static boolean nothing(Object taken) {
        return taken == NOTHING;
    }

    static boolean end(Object taken) {
        return taken == END;
    }

    /**
     * {@code queue} is woken on every change of this channel, until
     * {@link #unwatch}: what a {@link Select} waits on, and a system call that
     * must wait interruptibly (docs/kernel.md, "Processes, signals and
     * syscalls").
     */
    public void watch(WaitQueue queue) {
        watchers.add(queue);
    }

    /** Stops waking {@code queue}. */
    public void unwatch(WaitQueue queue) {
        watchers.remove(queue);
    }


    @Override
    public String toString() {
        return "channel " + name;
    }
}

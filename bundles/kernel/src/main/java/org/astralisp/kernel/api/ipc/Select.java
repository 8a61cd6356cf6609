package org.astralisp.kernel.api.ipc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.astralisp.kernel.api.sched.Timeouts;
import org.astralisp.kernel.api.sched.WaitQueue;

/**
 * Waits for the first of several channel operations that can complete, and
 * completes exactly that one (Go's {@code select}, CSP's alternative): a
 * {@link #receive} case is ready when its channel has a message or has
 * ended, a {@link #send} case when its channel has room.
 *
 * <pre>
 *   Select select = new Select();
 *   Select.Receive&lt;Request&gt; requests = select.receive(requestChannel);
 *   Select.Send&lt;Reply&gt; replies = select.send(replyChannel, reply);
 *   Select.Case done = select.await(Duration.ofMillis(100));   // null: timed out
 *   if (done == requests) handle(requests.message());
 * </pre>
 *
 * <h2>How it waits</h2>
 * It tries its cases in turn, starting one further each call so that a
 * busy channel does not starve the others, and stops at the first that
 * completes; each try is one atomic {@code tryReceive}/{@code trySend} of
 * its channel. If none completes, its own {@link WaitQueue} watches every
 * channel of its cases (each channel wakes its watchers on every change),
 * and it tries again after each wake, with the ticket taken before the
 * tries: a change after a try wakes it, so none is lost.
 *
 * <p>A select is reused across calls (its cases stay; a case's result is
 * that of the last call it completed) and belongs to one thread at a time.
 */
public final class Select {

    /** One operation of a select. */
    public abstract static sealed class Case permits Receive, Send {
        private final int index;

        Case(int index) {
            this.index = index;
        }

        /** Its position among the select's cases, from 0 in the order they were added. */
        public int index() {
            return index;
        }

        abstract Channel<?> channel();

        /** One non-blocking attempt: whether it completed. */
        abstract boolean attempt();
    }

    /** A receive case: after it completed, {@link #message()} or {@link #ended()}. */
    public static final class Receive<T> extends Case {
        private final Channel<T> channel;
        private T message;
        private boolean ended;

        Receive(int index, Channel<T> channel) {
            super(index);
            this.channel = channel;
        }

        @Override
        Channel<?> channel() {
            return channel;
        }

        @Override
        @SuppressWarnings("unchecked")
        boolean attempt() {
            Object taken = channel.take();
            if (Channel.nothing(taken)) {
                return false;
            }
            ended = Channel.end(taken);
            message = ended ? null : (T) taken;
            return true;
        }

        /** The message received when this case completed; null if the channel had ended. */
        public T message() {
            return message;
        }

        /** Whether this case completed because its channel is closed and drained. */
        public boolean ended() {
            return ended;
        }
    }

    /** A send case of one message. */
    public static final class Send<T> extends Case {
        private final Channel<T> channel;
        private final T message;

        Send(int index, Channel<T> channel, T message) {
            super(index);
            this.channel = channel;
            this.message = message;
        }

        @Override
        Channel<?> channel() {
            return channel;
        }

        @Override
        boolean attempt() {
            return channel.offer(message);
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private final WaitQueue changes = new WaitQueue("select");
    private int start;
    private Case done;

    /** Adds a case that receives from {@code channel}. */
    public <T> Receive<T> receive(Channel<T> channel) {
        Receive<T> c = new Receive<>(cases.size(), Objects.requireNonNull(channel, "channel"));
        cases.add(c);
        return c;
    }

    /** Adds a case that sends {@code message} to {@code channel}. */
    public <T> Send<T> send(Channel<T> channel, T message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, () -> channel + ": a message is never null");
        Send<T> c = new Send<>(cases.size(), channel, message);
        cases.add(c);
        return c;
    }

    /**
     * Completes the first case that can complete now.
     *
     * @return that case, or null if none can
     * @throws ChannelClosedException if a send case's channel is closed
     * @throws IllegalStateException if the select has no case
     */
    public Case poll() {
        if (cases.isEmpty()) {
            throw new IllegalStateException("select has no case: it could never complete");
        }
        int n = cases.size();
        int first = start;
        start = first + 1 == n ? 0 : first + 1;
        for (int i = 0; i < n; i++) {
            int at = first + i;
            Case c = cases.get(at < n ? at : at - n);
            if (c.attempt()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Waits until a case completes.
     *
     * @throws ChannelClosedException if a send case's channel is closed
     * @throws IllegalStateException if the select has no case, or it must wait and the caller is not a kernel thread
     */
    public Case await() {
        Case ready = poll();
        if (ready != null) {
            return ready;
        }
        return watching(() -> {
            changes.await(this::completed);
            return true;
        });
    }

    /**
     * {@link #await()} for at most {@code timeout}.
     *
     * @return the completed case, or null if none could complete within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Case await(Duration timeout) {
        Timeouts.nanos(timeout, "select: await");
        Case ready = poll();
        if (ready != null || timeout.isZero()) {
            return ready;
        }
        return watching(() -> changes.await(this::completed, timeout));
    }

    private boolean completed() {
        done = poll();
        return done != null;
    }

    /** Runs {@code wait} with this select's queue watching every channel of its cases. */
    private Case watching(BooleanSupplier wait) {
        Set<Channel<?>> channels = new LinkedHashSet<>();
        cases.forEach(c -> channels.add(c.channel()));
        channels.forEach(channel -> channel.watch(changes));
        done = null;
        try {
            return wait.getAsBoolean() ? done : null;
        } finally {
            channels.forEach(channel -> channel.unwatch(changes));
        }
    }
}

package org.astralisp.kernel.proc;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.ipc.EndOfChannelException;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.HandleType;

/**
 * A channel behind handles: its messages carry bytes and kernel objects (the
 * handles passed, as references the message holds until a receiver installs
 * them). When the last handle closes the channel is closed and the objects
 * of the messages left in it are dropped.
 *
 * <p>A message whose handles do not fit the receiver's table is held back
 * ({@link #holdBack}) and is the next one any receive on this channel takes,
 * so refusing it (EMFILE) loses nothing and keeps the order.
 */
final class ChannelObject extends WaitableObject {

    /** A message in the channel. */
    record Message(byte[] data, List<KernelObject> objects) {
    }

    private final Channel<Message> channel;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private Message heldBack;

    ChannelObject(int owner, Channel<Message> channel) {
        super(HandleType.CHANNEL, owner);
        this.channel = channel;
    }

    Channel<Message> channel() {
        return channel;
    }

    /**
     * The next message without waiting: the held-back one first; null if none.
     *
     * @throws EndOfChannelException once the channel is closed and drained
     */
    Message take() {
        lock.lock();
        try {
            if (heldBack != null) {
                Message message = heldBack;
                heldBack = null;
                return message;
            }
        } finally {
            lock.unlock();
        }
        return channel.tryReceive();
    }

    /** Puts a taken message back at the head. */
    void holdBack(Message message) {
        lock.lock();
        try {
            heldBack = message;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void watch(WaitQueue queue) {
        channel.watch(queue);
    }

    @Override
    void unwatch(WaitQueue queue) {
        channel.unwatch(queue);
    }

    @Override
    boolean readsAllowed() {
        return true;
    }

    @Override
    boolean writesAllowed() {
        return true;
    }

    /** A message is there (also one held back), or the channel is closed. */
    @Override
    boolean readable() {
        lock.lock();
        try {
            if (heldBack != null) {
                return true;
            }
        } finally {
            lock.unlock();
        }
        return channel.readyToReceive();
    }

    @Override
    boolean writable() {
        return channel.readyToSend();
    }

    @Override
    protected void release() {
        channel.close();
        try {
            for (Message message = take(); message != null; message = take()) {
                message.objects().forEach(KernelObject::drop);
            }
        } catch (EndOfChannelException drained) {
            // every message's objects dropped
        }
    }

    @Override
    public String describe() {
        return "channel " + channel.name() + " (capacity " + channel.capacity() + ")";
    }
}

package org.astralisp.kernel.proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.ipc.BrokenPipeException;
import org.astralisp.kernel.api.ipc.Channel;
import org.astralisp.kernel.api.ipc.ChannelClosedException;
import org.astralisp.kernel.api.ipc.EndOfChannelException;
import org.astralisp.kernel.api.ipc.Pipe;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.syscall.PipeHandles;
import org.astralisp.kernel.api.syscall.PollEvent;
import org.astralisp.kernel.api.syscall.PollRequest;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.ReceivedMessage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.kernel.api.syscall.WaitResult;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.Region;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SharedMemory;

/**
 * The system call table (docs/kernel.md, "The system call table"): each entry
 * finds its caller ({@link KernelProcessTable#enter()}: delivers pending
 * signals, checks the CPU limit), validates its arguments and handles, and
 * only then acts. Lives next to the process table whose internals it uses.
 */
final class SystemCallTable implements SystemCalls {

    /** The largest read or write one call copies. */
    static final int MAX_COPY = 1 << 20;

    private final KernelProcessTable table;

    SystemCallTable(KernelProcessTable table) {
        this.table = table;
    }

    private Process caller() {
        return table.enter().process;
    }

    @Override
    public int getpid() {
        return caller().pid;
    }

    @Override
    public int getppid() {
        return table.getppid(caller());
    }

    @Override
    public int spawn(ProgramImage image, List<String> args) {
        Process caller = caller();
        if (image == null || args == null) {
            throw new SystemCallException(Errno.EFAULT, "spawn: " + (image == null ? "image" : "args") + " is null");
        }
        return table.spawn(caller, image, args);
    }

    @Override
    public int spawn(ProgramImage image, List<String> args, int[] handles) {
        Process caller = caller();
        if (image == null || args == null || handles == null) {
            throw new SystemCallException(Errno.EFAULT, "spawn: " + (image == null ? "image" : args == null ? "args"
                    : "handles") + " is null");
        }
        if (handles.length > caller.limits.handles()) {
            throw new SystemCallException(Errno.EMFILE, "spawn: " + handles.length + " handles for the child, more "
                    + "than its limit of " + caller.limits.handles());
        }
        List<KernelObject> inherited = new ArrayList<>();
        try {
            for (int handle : handles) {
                inherited.add(caller.handles.retained(handle));
            }
        } catch (SystemCallException e) {
            inherited.forEach(KernelObject::drop);
            throw e;
        }
        return table.spawn(caller, image, args, inherited);
    }

    @Override
    public void exit(int code) {
        table.exit(table.enter(), code);
    }

    @Override
    public Optional<WaitResult> wait(int pid, boolean noHang) {
        return table.wait(table.enter(), pid, noHang);
    }

    @Override
    public void kill(int pid, Signal signal) {
        Process caller = caller();
        if (signal == null) {
            throw new SystemCallException(Errno.EINVAL, "kill: no signal");
        }
        table.kill(caller, pid, signal);
        KernelThread.attend(); // a signal to itself is delivered before kill returns (XSH kill)
    }

    @Override
    public SignalDisposition sigaction(Signal signal, SignalDisposition disposition) {
        Process caller = caller();
        if (signal == null || disposition == null) {
            throw new SystemCallException(Errno.EINVAL, "sigaction: " + (signal == null ? "signal" : "disposition")
                    + " is null");
        }
        return table.sigaction(caller, signal, disposition);
    }

    @Override
    public void setpgid(int pid, int pgid) {
        table.setpgid(caller(), pid, pgid);
    }

    @Override
    public int getpgid(int pid) {
        return table.getpgid(caller(), pid);
    }

    @Override
    public int setsid() {
        return table.setsid(caller());
    }

    @Override
    public int getsid(int pid) {
        return table.getsid(caller(), pid);
    }

    @Override
    public int dup(int handle) {
        return caller().handles.dup(handle);
    }

    @Override
    public void close(int handle) {
        caller().handles.close(handle);
    }

    @Override
    public HandleType handleType(int handle) {
        return caller().handles.get(handle).type();
    }

    @Override
    public void revoke(int handle) {
        Process caller = caller();
        KernelObject object = caller.handles.get(handle);
        if (object.owner() != caller.pid) {
            throw new SystemCallException(Errno.EPERM, "revoke: handle " + handle + " names " + object.describe()
                    + ", created by process " + object.owner() + ", not by process " + caller.pid);
        }
        object.revoke();
    }

    @Override
    public int openProcess(int pid) {
        Process caller = caller();
        Process target = table.process(pid);
        if (!table.mayOpen(caller, target)) {
            throw new SystemCallException(Errno.EPERM, "openProcess: process " + caller.pid + " (uid "
                    + caller.credentials.uid() + ") may not open process " + pid);
        }
        return caller.handles.install(new ProcessObject(caller.pid, target));
    }

    @Override
    public Optional<ExitStatus> processExitStatus(int processHandle) {
        Process target = ((ProcessObject) caller().handles.get(processHandle, HandleType.PROCESS)).process();
        return table.exitStatus(target);
    }

    @Override
    public void yield() {
        caller();
        KernelThread.yield();
        KernelThread.attend();
    }

    @Override
    public String spawnThread(String name, Runnable body) {
        Process caller = caller();
        if (name == null || name.isBlank() || body == null) {
            throw new SystemCallException(Errno.EINVAL, "spawnThread: " + (body == null ? "no body" : "no name"));
        }
        return table.spawnThread(caller, name, body);
    }

    // ---- memory ----

    private AddressSpace space(Process caller, String call) {
        if (caller.space == null) {
            throw new SystemCallException(Errno.ENOSYS, call + ": process " + caller.pid + " has no address space "
                    + "(the kernel runs without a virtual memory manager)");
        }
        return caller.space;
    }

    /** Checks a range's size and alignment; its page count. */
    private static long pages(AddressSpace space, String call, long address, long length) {
        int pageSize = space.pageSize();
        if (length <= 0 || length % pageSize != 0 || address % pageSize != 0) {
            throw new SystemCallException(Errno.EINVAL, call + " [0x" + Long.toHexString(address) + ", +" + length
                    + "): the address and a positive length must be multiples of the page size " + pageSize);
        }
        return length / pageSize;
    }

    @Override
    public void map(long address, long length, String permissions) {
        Process caller = caller();
        AddressSpace space = space(caller, "map");
        long pages = pages(space, "map", address, length);
        Permissions parsed = userPermissions(permissions);
        table.commit(caller, pages, "map");
        try {
            space.map(address, length, parsed, Backing.anonymous());
        } catch (IllegalArgumentException e) {
            table.uncommit(caller, pages);
            throw new SystemCallException(Errno.EINVAL, "map: " + e.getMessage());
        }
    }

    /** {@code rw-} → user read-write, never global. */
    private static Permissions userPermissions(String text) {
        if (text == null || text.length() != 3) {
            throw new SystemCallException(Errno.EINVAL, "permissions must be 3 characters rwx, '-' for absent: "
                    + (text == null ? "null" : "\"" + text + "\""));
        }
        try {
            return Permissions.parse(text + "u-");
        } catch (IllegalArgumentException e) {
            throw new SystemCallException(Errno.EINVAL, "permissions \"" + text + "\": " + e.getMessage());
        }
    }

    @Override
    public void unmap(long address, long length) {
        Process caller = caller();
        AddressSpace space = space(caller, "unmap");
        pages(space, "unmap", address, length);
        long anonymous = anonymousPagesIn(space, address, length);
        try {
            space.unmap(address, length);
        } catch (IllegalArgumentException e) {
            throw new SystemCallException(Errno.EINVAL, "unmap: " + e.getMessage());
        }
        table.uncommit(caller, anonymous);
    }

    /** Private pages mapped in a range: what an unmap gives back to the memory limit. */
    private static long anonymousPagesIn(AddressSpace space, long address, long length) {
        long end = address + length;
        long bytes = 0;
        for (Region region : space.regions()) {
            long start = Math.max(region.range().start(), address);
            long stop = Math.min(region.range().end(), end);
            if (start < stop && region.backing() instanceof Backing.Anonymous) {
                bytes += stop - start;
            }
        }
        return bytes / space.pageSize();
    }

    @Override
    public int createSharedMemory(long size) {
        Process caller = caller();
        AddressSpace space = space(caller, "createSharedMemory");
        long pages = pages(space, "createSharedMemory", 0, size);
        table.commit(caller, pages, "createSharedMemory");
        SharedMemory memory;
        try {
            memory = table.vmm().createSharedMemory(size);
        } catch (IllegalArgumentException e) {
            table.uncommit(caller, pages);
            throw new SystemCallException(Errno.EINVAL, "createSharedMemory: " + e.getMessage());
        }
        // A refused install drops the object's only reference, which closes it and uncommits its pages.
        return caller.handles.install(new SharedMemoryObject(caller.pid, memory, () -> table.uncommit(caller, pages)));
    }

    @Override
    public void mapShared(int handle, long address, long length, long offset) {
        Process caller = caller();
        SharedMemory memory = ((SharedMemoryObject) caller.handles.get(handle, HandleType.SHARED_MEMORY)).memory();
        AddressSpace space = space(caller, "mapShared");
        pages(space, "mapShared", address, length);
        if (offset < 0 || offset % space.pageSize() != 0 || offset > memory.size() - length) {
            throw new SystemCallException(Errno.EINVAL, "mapShared: offset " + offset + " and length " + length
                    + " do not lie within the " + memory.size() + " bytes of handle " + handle
                    + " at a page boundary");
        }
        try {
            space.map(address, length, Permissions.parse("rw-u-"), Backing.shared(memory, offset));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SystemCallException(Errno.EINVAL, "mapShared: " + e.getMessage());
        }
    }

    @Override
    public byte[] read(long address, int length) {
        Process caller = caller();
        AddressSpace space = space(caller, "read");
        if (length < 0 || length > MAX_COPY) {
            throw new SystemCallException(Errno.EINVAL, "read: length " + length + " is outside 0.." + MAX_COPY);
        }
        try {
            return space.read(KernelThread.current().cpu(), address, length, Privilege.USER);
        } catch (SegmentationFaultException e) {
            throw new SystemCallException(Errno.EFAULT, "read: " + e.getMessage());
        }
    }

    @Override
    public void write(long address, byte[] bytes) {
        Process caller = caller();
        AddressSpace space = space(caller, "write");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_COPY) {
            throw new SystemCallException(Errno.EINVAL, "write: " + bytes.length + " bytes, more than " + MAX_COPY);
        }
        try {
            space.write(KernelThread.current().cpu(), address, bytes, Privilege.USER);
        } catch (SegmentationFaultException e) {
            throw new SystemCallException(Errno.EFAULT, "write: " + e.getMessage());
        }
    }

    // ---- time ----

    @Override
    public void sleep(Duration duration) {
        ProcessThread thread = table.enter();
        long nanos = nanos(duration, "sleep");
        WaitQueue nobody = new WaitQueue("sleep of process " + thread.process.pid);
        long deadline = System.nanoTime() + nanos;
        for (long remaining = nanos; remaining > 0; remaining = deadline - System.nanoTime()) {
            if (nobody.awaitInterruptibly(nobody.prepareToWait(), Duration.ofNanos(remaining))
                    == WaitQueue.Wakeup.INTERRUPTED) {
                table.interrupted(thread, "sleep");
            }
        }
    }

    @Override
    public Duration alarm(Duration delay) {
        Process caller = caller();
        if (delay == null || delay.isNegative()) {
            throw new SystemCallException(Errno.EINVAL, "alarm: delay " + delay + " is not a duration of zero or "
                    + "more");
        }
        if (delay.compareTo(MAX_ALARM) > 0) {
            throw new SystemCallException(Errno.EINVAL, "alarm: delay " + delay + " is longer than " + MAX_ALARM);
        }
        return table.alarm(caller, delay);
    }

    /** A timeout's nanoseconds ({@link #FOREVER}: Long.MAX_VALUE). EINVAL for null or negative. */
    private static long nanos(Duration timeout, String call) {
        if (timeout == null || timeout.isNegative()) {
            throw new SystemCallException(Errno.EINVAL, call + ": timeout " + timeout + " is not a duration of zero "
                    + "or more");
        }
        return timeout.compareTo(FOREVER) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

    // ---- channels ----

    @Override
    public int channelCreate(int capacity) {
        Process caller = caller();
        if (capacity < 1 || capacity > MAX_CHANNEL_CAPACITY) {
            throw new SystemCallException(Errno.EINVAL, "channelCreate: capacity " + capacity + " is outside 1.."
                    + MAX_CHANNEL_CAPACITY);
        }
        return caller.handles.install(new ChannelObject(caller.pid,
                new Channel<>("of process " + caller.pid, capacity)));
    }

    @Override
    public void channelClose(int channelHandle) {
        ((ChannelObject) caller().handles.get(channelHandle, HandleType.CHANNEL)).channel().close();
    }

    @Override
    public void send(int channelHandle, byte[] data, int[] handles, Duration timeout) {
        ProcessThread thread = table.enter();
        Process caller = thread.process;
        ChannelObject channel = (ChannelObject) caller.handles.get(channelHandle, HandleType.CHANNEL);
        if (data == null || handles == null) {
            throw new SystemCallException(Errno.EFAULT, "send: " + (data == null ? "data" : "handles") + " is null");
        }
        if (data.length > MAX_MESSAGE_BYTES) {
            throw new SystemCallException(Errno.EMSGSIZE, "send: " + data.length + " bytes, more than "
                    + MAX_MESSAGE_BYTES);
        }
        if (handles.length > MAX_MESSAGE_HANDLES) {
            throw new SystemCallException(Errno.EINVAL, "send: " + handles.length + " handles, more than "
                    + MAX_MESSAGE_HANDLES);
        }
        long nanos = nanos(timeout, "send");
        List<KernelObject> objects = new ArrayList<>();
        try {
            for (int handle : handles) {
                KernelObject object = caller.handles.retained(handle);
                objects.add(object);
                if (object == channel) {
                    throw new SystemCallException(Errno.EINVAL, "send: handle " + handle + " is the channel it is "
                            + "sent over (the channel would hold itself and never be released)");
                }
            }
            ChannelObject.Message message = new ChannelObject.Message(data.clone(), List.copyOf(objects));
            waitFor(thread, channel, "send", nanos, () -> channel.channel().trySend(message));
        } catch (RuntimeException | Error e) {
            objects.forEach(KernelObject::drop);
            throw e;
        }
        for (int i = 0; i < handles.length; i++) {
            // moved: the message holds the references taken above; the sender's handles go
            caller.handles.closeIfHolds(handles[i], objects.get(i));
        }
    }

    @Override
    public Optional<ReceivedMessage> receive(int channelHandle, Duration timeout) {
        ProcessThread thread = table.enter();
        Process caller = thread.process;
        ChannelObject channel = (ChannelObject) caller.handles.get(channelHandle, HandleType.CHANNEL);
        long nanos = nanos(timeout, "receive");
        AtomicReference<ChannelObject.Message> taken = new AtomicReference<>();
        try {
            waitFor(thread, channel, "receive", nanos, () -> {
                taken.set(channel.take());
                return taken.get() != null;
            });
        } catch (EndOfChannelException end) {
            return Optional.empty();
        }
        ChannelObject.Message message = taken.get();
        try {
            return Optional.of(new ReceivedMessage(message.data(), caller.handles.installAll(message.objects())));
        } catch (SystemCallException e) {
            channel.holdBack(message);
            throw e;
        }
    }

    // ---- pipes ----

    @Override
    public PipeHandles pipeCreate(int capacity) {
        Process caller = caller();
        if (capacity < 1 || capacity > MAX_PIPE_CAPACITY) {
            throw new SystemCallException(Errno.EINVAL, "pipeCreate: capacity " + capacity + " bytes is outside 1.."
                    + MAX_PIPE_CAPACITY);
        }
        Pipe pipe = new Pipe("of process " + caller.pid, capacity);
        KernelObject readEnd = PipeEndObject.readEnd(caller.pid, pipe);
        KernelObject writeEnd = PipeEndObject.writeEnd(caller.pid, pipe);
        readEnd.retain();
        writeEnd.retain();
        try {
            int[] handles = caller.handles.installAll(List.of(readEnd, writeEnd));
            return new PipeHandles(handles[0], handles[1]);
        } catch (SystemCallException e) {
            readEnd.drop();
            writeEnd.drop();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> pipeRead(int readEnd, int maxBytes, Duration timeout) {
        ProcessThread thread = table.enter();
        if (maxBytes < 1 || maxBytes > MAX_PIPE_TRANSFER) {
            thread.process.handles.get(readEnd, HandleType.PIPE_READ_END); // the handle's error first
            throw new SystemCallException(Errno.EINVAL, "pipeRead: " + maxBytes + " bytes asked, outside 1.."
                    + MAX_PIPE_TRANSFER);
        }
        PipeEndObject end = (PipeEndObject) thread.process.handles.retained(readEnd, HandleType.PIPE_READ_END);
        try {
            long nanos = nanos(timeout, "pipeRead");
            byte[] buffer = new byte[maxBytes];
            int[] read = new int[1];
            waitFor(thread, end, "pipeRead", nanos, () -> {
                read[0] = end.pipe().reader().tryRead(buffer, 0, maxBytes);
                return read[0] != 0;
            });
            return read[0] < 0 ? Optional.empty() : Optional.of(Arrays.copyOf(buffer, read[0]));
        } finally {
            end.drop();
        }
    }

    @Override
    public int pipeWrite(int writeEnd, byte[] data, Duration timeout) {
        ProcessThread thread = table.enter();
        thread.process.handles.get(writeEnd, HandleType.PIPE_WRITE_END); // the handle's error first
        if (data == null) {
            throw new SystemCallException(Errno.EFAULT, "pipeWrite: data is null");
        }
        if (data.length > MAX_PIPE_TRANSFER) {
            throw new SystemCallException(Errno.EINVAL, "pipeWrite: " + data.length + " bytes, more than "
                    + MAX_PIPE_TRANSFER);
        }
        long nanos = nanos(timeout, "pipeWrite");
        PipeEndObject end = (PipeEndObject) thread.process.handles.retained(writeEnd, HandleType.PIPE_WRITE_END);
        try {
            return write(thread, end, data.clone(), nanos);
        } finally {
            end.drop();
        }
    }

    /** {@link #pipeWrite}'s transfer, {@code end} held. */
    private int write(ProcessThread thread, PipeEndObject end, byte[] bytes, long nanos) {
        int[] written = new int[1];
        try {
            if (bytes.length > 0) {
                waitFor(thread, end, "pipeWrite", nanos, () -> {
                    written[0] += end.pipe().writer().tryWrite(bytes, written[0], bytes.length - written[0]);
                    return written[0] == bytes.length;
                });
            }
            return written[0];
        } catch (BrokenPipeException e) {
            // XSH write: SIGPIPE to the writer; EPIPE if it survives (the signal is ignored or handled)
            table.signalSelf(thread, Signal.PIPE);
            if (written[0] > 0) {
                return written[0];
            }
            throw new SystemCallException(Errno.EPIPE, "pipeWrite: " + end.describe() + " has no reader: its "
                    + "read end is closed");
        } catch (SystemCallException e) {
            if (written[0] > 0 && (e.errno() == Errno.EAGAIN || e.errno() == Errno.ETIMEDOUT
                    || e.errno() == Errno.EINTR)) {
                return written[0]; // a partial write counts what it wrote (XSH write)
            }
            throw e;
        }
    }

    // ---- poll ----

    @Override
    public List<PollRequest> poll(List<PollRequest> requests, Duration timeout) {
        ProcessThread thread = table.enter();
        Process caller = thread.process;
        if (requests == null) {
            throw new SystemCallException(Errno.EFAULT, "poll: requests is null");
        }
        if (requests.size() > MAX_POLL_REQUESTS) {
            throw new SystemCallException(Errno.EINVAL, "poll: " + requests.size() + " requests, more than "
                    + MAX_POLL_REQUESTS);
        }
        List<PollRequest> asked = new ArrayList<>(requests); // a list the caller changes meanwhile changes nothing
        List<WaitableObject> objects = new ArrayList<>();
        for (PollRequest request : asked) {
            objects.add(pollable(caller, request));
        }
        long nanos = nanos(timeout, "poll");
        List<PollRequest> ready = new ArrayList<>();
        awaitAttempt(thread, objects, "poll", nanos, () -> {
            ready.clear();
            for (int i = 0; i < asked.size(); i++) {
                WaitableObject object = objects.get(i);
                if (asked.get(i).event() == PollEvent.READABLE ? object.readable() : object.writable()) {
                    ready.add(asked.get(i));
                }
            }
            return !ready.isEmpty();
        });
        return List.copyOf(ready);
    }

    /** The object a poll request names, checked to support its event. */
    private static WaitableObject pollable(Process caller, PollRequest request) {
        if (request == null || request.event() == null) {
            throw new SystemCallException(Errno.EINVAL, "poll: " + (request == null ? "a request" : "the event of "
                    + "handle " + request.handle()) + " is null");
        }
        KernelObject object = caller.handles.get(request.handle());
        boolean reading = request.event() == PollEvent.READABLE;
        if (!(object instanceof WaitableObject waitable)
                || !(reading ? waitable.readsAllowed() : waitable.writesAllowed())) {
            throw new SystemCallException(Errno.EINVAL, "poll: handle " + request.handle() + " of process "
                    + caller.pid + " names " + object.describe() + ", which cannot be polled for " + request.event());
        }
        return waitable;
    }

    /**
     * Tries {@code attempt} until it succeeds, through {@link #awaitAttempt}:
     * EAGAIN when {@code nanos} is 0, ETIMEDOUT when it passes, EPIPE on a
     * closed channel.
     */
    private void waitFor(ProcessThread thread, WaitableObject object, String call, long nanos,
            BooleanSupplier attempt) {
        try {
            if (!awaitAttempt(thread, List.of(object), call, nanos, attempt)) {
                if (nanos == 0) {
                    throw new SystemCallException(Errno.EAGAIN, call + " on " + object.describe()
                            + ": it would wait");
                }
                throw new SystemCallException(Errno.ETIMEDOUT, call + " on " + object.describe()
                        + ": timed out after " + Duration.ofNanos(nanos));
            }
        } catch (ChannelClosedException e) {
            throw new SystemCallException(Errno.EPIPE, call + ": " + object.describe() + " is closed");
        }
    }

    /**
     * Tries {@code attempt} until it succeeds, waiting between tries on one
     * queue that every object of {@code objects} wakes on every change (the
     * ticket is taken before the try, so no change is missed): true once it
     * succeeded, false when {@code nanos} passed (at once for 0). On a signal
     * EINTR if a handler ran (otherwise the wait goes on: the call restarts,
     * as Linux's ERESTARTSYS without a handler).
     */
    private boolean awaitAttempt(ProcessThread thread, List<WaitableObject> objects, String call, long nanos,
            BooleanSupplier attempt) {
        WaitQueue changes = new WaitQueue(call + " of process " + thread.process.pid);
        Set<WaitableObject> watched = Collections.newSetFromMap(new IdentityHashMap<>());
        watched.addAll(objects);
        long start = System.nanoTime();
        watched.forEach(object -> object.watch(changes));
        try {
            while (true) {
                long ticket = changes.prepareToWait();
                if (attempt.getAsBoolean()) {
                    return true;
                }
                if (nanos == 0) {
                    return false;
                }
                WaitQueue.Wakeup wakeup;
                if (nanos == Long.MAX_VALUE) {
                    wakeup = changes.awaitInterruptibly(ticket) ? WaitQueue.Wakeup.WOKEN
                            : WaitQueue.Wakeup.INTERRUPTED;
                } else {
                    long remaining = nanos - (System.nanoTime() - start);
                    wakeup = remaining <= 0 ? WaitQueue.Wakeup.TIMED_OUT
                            : changes.awaitInterruptibly(ticket, Duration.ofNanos(remaining));
                }
                if (wakeup == WaitQueue.Wakeup.TIMED_OUT) {
                    return false;
                }
                if (wakeup == WaitQueue.Wakeup.INTERRUPTED) {
                    table.interrupted(thread, call);
                }
            }
        } finally {
            watched.forEach(object -> object.unwatch(changes));
        }
    }
}

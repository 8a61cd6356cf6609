package org.astralisp.kernel.proc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.syscall.ProgramImage;
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
}

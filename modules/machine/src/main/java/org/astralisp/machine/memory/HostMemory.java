package org.astralisp.machine.memory;

import com.sun.management.OperatingSystemMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;

/**
 * The host's virtual memory, as guest RAM needs it: anonymous private mappings
 * that the host kernel commits page by page on first touch, and how much
 * physical memory the host has.
 *
 * <p>Why {@code mmap} and not {@link Arena#allocate}: an arena allocation is
 * zeroed by the JVM, which touches, and so commits, every page. An anonymous
 * mapping reads as zeros without being touched; with {@code MAP_NORESERVE} the
 * kernel does not even reserve swap for it, so an idle 512 MiB guest costs only
 * the pages it has used (Linux {@code mmap(2)}).
 *
 * <p>Linux only. The flag values are the kernel's UAPI: {@code MAP_NORESERVE} is
 * {@code 0x4000} on x86-64, arm64 and riscv64 and {@code 0x40} on powerpc.
 */
@SuppressWarnings("restricted") // downcalls into libc are this class's purpose (module needs native access)
final class HostMemory {

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MMAP = LINKER.downcallHandle(LIBC.find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LIBC.find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private HostMemory() {
    }

    /**
     * The physical memory the host gives this process: the machine's RAM, or the
     * container's memory limit when that is lower (the JVM reads cgroups).
     */
    static long physicalMemory() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
    }

    /**
     * Maps {@code size} bytes of anonymous, private, unreserved memory, readable
     * and writable, and returns it as a segment owned by {@code arena}: closing
     * the arena unmaps it. Closing a shared arena first makes every segment of
     * it inaccessible on all threads, so a late access throws instead of
     * touching unmapped memory.
     *
     * @throws HostMemoryException naming the size and the errno if mmap fails
     */
    static MemorySegment mapAnonymous(long size, Arena arena) {
        MemorySegment address;
        int errno;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(CALL_STATE);
            address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | mapNoReserve(), -1, 0L);
            errno = (int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("mmap downcall failed", e);
        }
        if (address.address() == MAP_FAILED) {
            throw new HostMemoryException("cannot map " + size + " bytes of guest RAM: mmap failed with "
                    + describeErrno(errno));
        }
        return address.reinterpret(size, arena, mapping -> unmap(mapping.address(), size));
    }

    private static void unmap(long address, long size) {
        int result;
        int errno;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(CALL_STATE);
            result = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), size);
            errno = (int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("munmap downcall failed", e);
        }
        if (result != 0) {
            throw new IllegalStateException("munmap of " + size + " bytes at 0x" + Long.toHexString(address)
                    + " failed with " + describeErrno(errno));
        }
    }

    /** {@code errno 12 (Cannot allocate memory)}. */
    static String describeErrno(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return "errno " + errno + " (" + text.reinterpret(Integer.MAX_VALUE).getString(0) + ")";
        } catch (Throwable e) {
            throw new IllegalStateException("strerror downcall failed", e);
        }
    }

    private static int mapNoReserve() {
        String arch = System.getProperty("os.arch");
        return arch.startsWith("ppc") ? 0x40 : 0x4000;
    }
}

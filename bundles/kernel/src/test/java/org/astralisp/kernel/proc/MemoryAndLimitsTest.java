package org.astralisp.kernel.proc;

import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Memory system calls, out-of-range sizes, and every resource limit: the process gets the error, nothing else changes. */
@Timeout(60)
class MemoryAndLimitsTest {

    static final long BASE = 0x40_0000L;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void badRangesAndSizesAreEinvalAndUnmappedAddressesEfault(Architecture architecture) throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine(architecture, 1)) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                record.add(refusal(() -> sys.map(BASE + 1, page, "rw-")));
                record.add(refusal(() -> sys.map(BASE, 0, "rw-")));
                record.add(refusal(() -> sys.map(BASE, -page, "rw-")));
                record.add(refusal(() -> sys.map(BASE, page, "rwz")));
                record.add(refusal(() -> sys.createSharedMemory(page + 1)));
                record.add(refusal(() -> sys.read(BASE, -1)));
                record.add(refusal(() -> sys.read(BASE, 8)).startsWith("EFAULT: read: segmentation fault: user read"));
                sys.map(BASE, page, "rw-");
                record.add(refusal(() -> sys.map(BASE, page, "rw-")).startsWith("EINVAL: map: cannot map"));
                record.add(refusal(() -> sys.unmap(BASE + page, page)).startsWith("EINVAL: unmap: cannot unmap"));
                record.add(kernel.table.process(sys.getpid()).committedPages);
            });
            assertEquals(List.of(
                    "EINVAL: map [0x400001, +" + page + "): the address and a positive length must be multiples of the "
                            + "page size " + page,
                    "EINVAL: map [0x400000, +0): the address and a positive length must be multiples of the page size "
                            + page,
                    "EINVAL: map [0x400000, +" + -page + "): the address and a positive length must be multiples of "
                            + "the page size " + page,
                    "EINVAL: permissions \"rwz\": permissions position 2 must be 'x' or '-': \"rwzu-\"",
                    "EINVAL: createSharedMemory [0x0, +" + (page + 1) + "): the address and a positive length must be "
                            + "multiples of the page size " + page,
                    "EINVAL: read: length -1 is outside 0..1048576", true, true, true, 1L), seen,
                    "only the one good map was committed");
        }
    }

    @Test
    void sharedMemoryWrittenByOneProcessIsReadByAnother() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            long freeBefore = kernel.pmm.statistics().freeFrames();
            AtomicInteger childHandle = new AtomicInteger(-1);
            AtomicReference<String> childRead = new AtomicReference<>();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int handle = sys.createSharedMemory(2L * page);
                sys.mapShared(handle, BASE, 2L * page, 0);
                sys.write(BASE + page + 3, "hello".getBytes(StandardCharsets.UTF_8));
                int child = sys.spawn(kernel.image((s, a) -> {
                    while (childHandle.get() < 0) {
                        s.yield();
                    }
                    s.mapShared(childHandle.get(), 2 * BASE, page, page);
                    childRead.set(new String(s.read(2 * BASE + 3, 5), StandardCharsets.UTF_8));
                    return 0;
                }), List.of());
                childHandle.set(kernel.table.process(sys.getpid()).handles.copyTo(handle,
                        kernel.table.process(child).handles));
                sys.wait(child, false);
                record.add(refusal(() -> sys.mapShared(handle, 3 * BASE, page, 2L * page)));
            });
            assertEquals("hello", childRead.get(), "the child's page 0 at offset one page is the parent's page 1");
            assertEquals(List.of("EINVAL: mapShared: offset " + 2 * page + " and length " + page + " do not lie "
                    + "within the " + 2 * page + " bytes of handle 0 at a page boundary"), seen);
            assertEquals(freeBefore, kernel.pmm.statistics().freeFrames(),
                    "every frame (tables, shared pages) back once both processes ended");
        }
    }

    @Test
    void theMemoryLimitIsEnomemAndUnmappingGivesPagesBack() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT.withMemoryPages(4), (sys, record) -> {
                sys.map(BASE, 3L * page, "rw-");
                record.add(refusal(() -> sys.map(BASE + 8L * page, 2L * page, "rw-")));
                record.add(refusal(() -> sys.createSharedMemory(2L * page)));
                sys.unmap(BASE, 2L * page);
                sys.map(BASE + 8L * page, 2L * page, "rw-");
                sys.createSharedMemory(page);
                record.add(kernel.table.process(sys.getpid()).committedPages);
            });
            assertEquals(List.of("ENOMEM: map: process 2 has 3 pages of its limit of 4 committed; 2 more do not fit",
                    "ENOMEM: createSharedMemory: process 2 has 3 pages of its limit of 4 committed; 2 more do not fit",
                    4L), seen);
        }
    }

    @Test
    void theThreadLimitIsEagain() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT.withThreads(2), (sys, record) -> {
                AtomicInteger ran = new AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
                record.add(sys.spawnThread("helper", () -> {
                    ProcessLifecycleTest.spinUntil(sys, release);
                    ran.incrementAndGet();
                }));
                record.add(refusal(() -> sys.spawnThread("one too many", ran::incrementAndGet)));
                release.set(true);
                while (kernel.table.process(sys.getpid()).threads.size() > 1) {
                    sys.yield();
                }
                record.add(sys.spawnThread("after", ran::incrementAndGet));
                while (ran.get() < 2) {
                    sys.yield();
                }
            });
            assertEquals(List.of("helper", "EAGAIN: process 2 has 2 threads, its limit; no thread 'one too many'",
                    "after"), seen);
        }
    }

    @Test
    void tooManyArgumentsAreE2bigAndAFullPidSpaceEagain() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine(Architecture.RISCV64, 1, new PidAllocator(4))) {
            SystemCallException big = assertThrows(SystemCallException.class, () -> kernel.table.spawn(
                    kernel.image((s, a) -> 0), Collections.nCopies(5000, "x"), Credentials.ROOT,
                    ResourceLimits.DEFAULT));
            assertEquals("E2BIG: 5000 arguments, more than 4096", big.getMessage());
            AtomicReference<String> full = new AtomicReference<>();
            int first = kernel.spawn((sys, args) -> {
                int second = sys.spawn(kernel.image((s, a) -> 0), List.of());
                full.set(refusal(() -> sys.spawn(kernel.image((s, a) -> 0), List.of())));
                sys.wait(second, false);
                return 0;
            });
            kernel.awaitGone(first);
            assertEquals("EAGAIN: cannot spawn test:p4: every pid is in use", full.get());
            assertEquals(Errno.EAGAIN.number(), 11);
        }
    }
}

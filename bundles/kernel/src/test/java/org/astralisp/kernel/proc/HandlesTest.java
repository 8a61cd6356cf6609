package org.astralisp.kernel.proc;

import static org.astralisp.kernel.proc.ProcessLifecycleTest.spinUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.HandleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The capability table: handle numbers, types, limits, copies, moves and revocation, through the system calls. */
@Timeout(60)
class HandlesTest {

    @Test
    void newHandlesTakeTheLowestFreeNumber() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int first = sys.createSharedMemory(page);
                int second = sys.dup(first);
                sys.close(first);
                int third = sys.dup(second);
                record.addAll(List.of(first, second, third, sys.handleType(third)));
            });
            assertEquals(List.of(0, 1, 0, HandleType.SHARED_MEMORY), seen);
        }
    }

    @Test
    void handlesThatDoNotExistAreEbadf() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int handle = sys.createSharedMemory(page);
                sys.close(handle);
                record.add(ProcOnMachine.refusal(() -> sys.close(handle)));
                record.add(ProcOnMachine.refusal(() -> sys.dup(-1)));
                record.add(ProcOnMachine.refusal(() -> sys.handleType(1 << 20)));
            });
            assertEquals(List.of("EBADF: handle 0: no such handle in process 2's table",
                    "EBADF: handle -1: no such handle in process 2's table",
                    "EBADF: handle 1048576: no such handle in process 2's table"), seen);
        }
    }

    @Test
    void aHandleOfTheWrongTypeIsEinval() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int child = sys.spawn(kernel.image((s, a) -> 0), List.of());
                int process = sys.openProcess(child);
                record.add(ProcOnMachine.refusal(() -> sys.mapShared(process, 0x40_0000, 4096, 0)));
                sys.wait(child, false);
                record.add(sys.processExitStatus(process).orElseThrow().toString());
            });
            assertEquals(List.of("EINVAL: handle 0 of process 2 names process 3, not a SHARED_MEMORY handle",
                    "exited 0"), seen, "the process handle still tells the reaped child's status");
        }
    }

    @Test
    void anotherProcesssHandleNumberNamesNothingInTheCallersTable() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int mine = sys.createSharedMemory(page);
                AtomicReference<String> childSaw = new AtomicReference<>();
                int child = sys.spawn(kernel.image((s, a) -> {
                    childSaw.set(ProcOnMachine.refusal(() -> s.mapShared(mine, 0x40_0000, page, 0)));
                    return 0;
                }), List.of());
                sys.wait(child, false);
                record.add(childSaw.get());
                record.add(sys.handleType(mine));
            });
            assertEquals(List.of("EBADF: handle 0: no such handle in process 3's table", HandleType.SHARED_MEMORY),
                    seen, "the child cannot use the parent's handle; the parent still can");
        }
    }

    @Test
    void theHandleLimitIsEmfileAndClosingMakesRoomAgain() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT.withHandles(2), (sys, record) -> {
                int first = sys.createSharedMemory(page);
                sys.dup(first);
                record.add(ProcOnMachine.refusal(() -> sys.dup(first)));
                record.add(ProcOnMachine.refusal(() -> sys.createSharedMemory(page)));
                record.add(kernel.table.process(sys.getpid()).committedPages);
                sys.close(first);
                record.add(sys.dup(1));
            });
            assertEquals(List.of("EMFILE: process 2 holds 2 handles, its limit; no handle for shared memory of "
                    + page + " bytes", "EMFILE: process 2 holds 2 handles, its limit; no handle for shared memory of "
                    + page + " bytes", 1L, 0), seen, "the refused object's page was given back to the limit");
        }
    }

    @Test
    void aCopyGoesIntoAnotherTableAndARevokeStopsEveryHandleToTheObject() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            AtomicInteger childHandle = new AtomicInteger(-1);
            AtomicBoolean revoked = new AtomicBoolean();
            AtomicBoolean checked = new AtomicBoolean();
            AtomicReference<List<String>> childSaw = new AtomicReference<>();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                int handle = sys.createSharedMemory(page);
                int child = sys.spawn(kernel.image((s, a) -> {
                    while (childHandle.get() < 0) {
                        s.yield();
                    }
                    String before = s.handleType(childHandle.get()).name();
                    String notOwner = ProcOnMachine.refusal(() -> s.revoke(childHandle.get()));
                    checked.set(true);
                    spinUntil(s, revoked);
                    String after = ProcOnMachine.refusal(() -> s.handleType(childHandle.get()));
                    s.close(childHandle.get());
                    childSaw.set(List.of(before, notOwner, after));
                    return 0;
                }), List.of());
                childHandle.set(kernel.table.process(sys.getpid()).handles.copyTo(handle,
                        kernel.table.process(child).handles));
                spinUntil(sys, checked);
                sys.revoke(handle);
                revoked.set(true);
                record.add(ProcOnMachine.refusal(() -> sys.dup(handle)));
                sys.wait(child, false);
                sys.close(handle);
            });
            assertEquals(List.of("SHARED_MEMORY", "EPERM: revoke: handle 0 names shared memory of " + page
                    + " bytes, created by process 2, not by process 3", "EIO: handle 0 of process 3 names shared "
                    + "memory of " + page + " bytes, which was revoked"), childSaw.get());
            assertEquals(List.of("EIO: handle 0 of process 2 names shared memory of " + page
                    + " bytes, which was revoked"), seen);
        }
    }

    @Test
    void aMoveLeavesTheSenderAndAFullReceiverRefusesIt() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            int page = kernel.vmm.format().pageSize();
            HandleTable sender = new HandleTable(7, 4);
            HandleTable receiver = new HandleTable(8, 1);
            SharedMemoryObject object = new SharedMemoryObject(7, kernel.vmm.createSharedMemory(page), () -> { });
            int handle = sender.install(object);
            int moved = sender.transferTo(handle, receiver);
            assertEquals(List.of(0, 0, 1), List.of(moved, sender.count(), object.references()));
            assertEquals("EBADF: handle 0: no such handle in process 7's table",
                    ProcOnMachine.refusal(() -> sender.get(handle)));
            int back = receiver.transferTo(moved, sender);
            sender.dup(back);
            receiver.install(new SharedMemoryObject(7, kernel.vmm.createSharedMemory(page), () -> { }));
            assertEquals("EMFILE: process 8 holds 1 handles, its limit; no handle for shared memory of " + page
                    + " bytes", ProcOnMachine.refusal(() -> sender.transferTo(back, receiver)));
            assertEquals(List.of(2, 2), List.of(sender.count(), object.references()),
                    "the refused move left the handle with the sender");
            sender.closeAll();
            assertEquals(0, object.references());
        }
    }
}

package org.astralisp.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class PhysicalMemoryComponentTest {

    @SuppressWarnings("unchecked")
    private final ServiceRegistration<PhysicalMemoryManager> registration = mock(ServiceRegistration.class);
    private final BundleContext context = mock(BundleContext.class);

    PhysicalMemoryComponentTest() {
        when(context.registerService(eq(PhysicalMemoryManager.class), any(PhysicalMemoryManager.class), any()))
                .thenReturn(registration);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void managesAllOfEachMachinesRamInItsPageSizeWithoutAHal(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            PhysicalMemoryManager pmm = register(Machines.deviceTree(machine), null);

            int pageSize = Machines.pageSize(architecture);
            MemoryStatistics statistics = pmm.statistics();
            assertEquals(pageSize, statistics.pageSize());
            assertEquals(machine.memory().size(), statistics.totalFrames() * pageSize);
            assertEquals(statistics.totalFrames(), statistics.freeFrames());
            assertEquals(0, statistics.zone(MemoryZone.DMA32).reservedFrames());
            assertEquals(0, statistics.zone(MemoryZone.NORMAL).totalFrames());
            long frame = pmm.allocate(0);
            assertTrue(frame >= machine.memory().base() && frame < machine.memory().base() + machine.memory().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void takesThePageSizeFromTheHal(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            PageTableFormat hal = format("radix 64K", Machines.pageSize(architecture));

            assertEquals(Machines.pageSize(architecture), register(Machines.deviceTree(machine), hal).pageSize());
        }
    }

    @Test
    void halPageSizeWinsForABoardItDoesNotKnow() throws Exception {
        PhysicalMemoryManager pmm = register(reservedMemoryBoard(), format("Sv39", 4096));

        assertEquals(4096, pmm.pageSize());
        long ram = (16L << 20) + (8L << 20);
        long reserved = 0x2000 + 0x100000;
        assertEquals(ram - reserved, pmm.statistics().totalFrames() * 4096);
        assertEquals(reserved / 4096, pmm.statistics().zone(MemoryZone.DMA32).reservedFrames());
    }

    @Test
    void refusesAHalForAnotherArchitecture() throws Exception {
        try (Machine machine = Machines.create(Architecture.PPC64); KernelLog log = KernelLog.of(
                PhysicalMemoryComponent.class)) {
            new PhysicalMemoryComponent(Machines.deviceTree(machine), format("x86-64 4-level", 4096), context);

            verifyNoInteractions(context);
            assertLoggedError(log, "no physical memory manager: page size: the HAL's page table format x86-64 "
                    + "4-level has 4096-byte pages, but the board astralisp,ppc64-virt has 65536-byte pages: "
                    + "the arch bundle does not match the machine");
        }
    }

    @Test
    void refusesAnUnknownBoardWithoutAHal() throws Exception {
        try (KernelLog log = KernelLog.of(PhysicalMemoryComponent.class)) {
            new PhysicalMemoryComponent(reservedMemoryBoard(), null, context);

            verifyNoInteractions(context);
            assertLoggedError(log, "no physical memory manager: no page size: no PageTableFormat service, and the "
                    + "device tree's root is compatible with none of [astralisp,ppc64-virt, astralisp,riscv64-virt, "
                    + "astralisp,x86-64-virt]");
        }
    }

    @Test
    void refusesAMemoryNodeWhoseRegIsMalformed() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(Machines.resource(getClass(), "bad-reg.dtb"));
        try (KernelLog log = KernelLog.of(PhysicalMemoryComponent.class)) {
            new PhysicalMemoryComponent(tree, null, context);

            verifyNoInteractions(context);
            assertLoggedError(log, "no physical memory manager: /memory@80000000: reg: value is 12 bytes, not a "
                    + "whole number of 16-byte entries (#address-cells 2 + #size-cells 2 of /)");
        }
    }

    @Test
    void deactivationUnregistersTheManager() throws Exception {
        try (Machine machine = Machines.create(Architecture.X86_64)) {
            new PhysicalMemoryComponent(Machines.deviceTree(machine), null, context).deactivate();

            verify(registration).unregister();
        }
    }

    @Test
    void deactivationAfterARefusalDoesNothing() throws Exception {
        new PhysicalMemoryComponent(reservedMemoryBoard(), null, context).deactivate();

        verifyNoInteractions(context, registration);
    }

    private PhysicalMemoryManager register(DeviceTree tree, PageTableFormat hal) {
        new PhysicalMemoryComponent(tree, hal, context);
        ArgumentCaptor<PhysicalMemoryManager> pmm = ArgumentCaptor.forClass(PhysicalMemoryManager.class);
        verify(context).registerService(eq(PhysicalMemoryManager.class), pmm.capture(), any());
        return pmm.getValue();
    }

    private static PageTableFormat format(String name, int pageSize) {
        PageTableFormat format = mock(PageTableFormat.class);
        when(format.name()).thenReturn(name);
        when(format.pageSize()).thenReturn(pageSize);
        return format;
    }

    private static DeviceTree reservedMemoryBoard() throws Exception {
        return FlattenedDeviceTree.parse(Machines.resource(PhysicalMemoryComponentTest.class, "reserved-memory.dtb"));
    }

    private static void assertLoggedError(KernelLog log, String message) {
        ILoggingEvent error = log.events().getLast();
        assertEquals(Level.ERROR, error.getLevel());
        assertEquals(message, error.getFormattedMessage());
        assertNull(error.getThrowableProxy());
    }
}

package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.ppc64.paging.RadixPageTableFormat;
import org.astralisp.kernel.api.irq.CrossCall;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.VirtualMemoryManager;
import org.astralisp.kernel.mm.Pmms;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class VirtualMemoryComponentTest {

    @SuppressWarnings("unchecked")
    private final ServiceRegistration<VirtualMemoryManager> registration = mock(ServiceRegistration.class);
    private final BundleContext context = mock(BundleContext.class);

    VirtualMemoryComponentTest() {
        when(context.registerService(eq(VirtualMemoryManager.class), any(VirtualMemoryManager.class), any()))
                .thenReturn(registration);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void registersAManagerForEachMachineWithATlbPerCpu(Architecture architecture) throws Exception {
        try (Machine machine = Machine.create(new MachineConfig(architecture, 2, Machines.RAM, ""));
                KernelLog log = KernelLog.of(VirtualMemoryComponent.class)) {
            PhysicalMemoryManager pmm = Pmms.over(machine.memory(), Machines.pageSize(architecture));
            new VirtualMemoryComponent(pmm, machine.memory(), Vm.format(architecture), Machines.deviceTree(machine), context);

            VirtualMemoryManager vmm = registered();
            assertEquals(2, vmm.cpus());
            assertEquals(Machines.pageSize(architecture), vmm.format().pageSize());
            assertEquals("virtual memory: " + vmm.format().name() + " page tables, " + vmm.format().pageSize()
                    + "-byte pages, 2 CPUs with a 64-entry software TLB each", log.events().getLast().getFormattedMessage());
            AddressSpace space = vmm.createAddressSpace();
            space.map(0x40_0000, 0x10000, Permissions.parse("rw-u-"), Backing.anonymous());
            space.write(1, 0x40_0000, new byte[] {42}, Privilege.USER);
            assertEquals(42, space.read(0, 0x40_0000, 1, Privilege.USER)[0]);
        }
    }

    @Test
    void shootdownsGoThroughTheInterruptFrameworkWhileItIsBoundAndLocallyOtherwise() throws Exception {
        try (Machine machine = Machine.create(new MachineConfig(Architecture.RISCV64, 2, Machines.RAM, ""))) {
            VirtualMemoryComponent component = new VirtualMemoryComponent(Pmms.over(machine.memory(), 4096),
                    machine.memory(), Vm.format(Architecture.RISCV64), Machines.deviceTree(machine), context);
            VirtualMemoryManager vmm = registered();
            Recording ipis = new Recording();
            InterruptManager interrupts = mock(InterruptManager.class);
            when(interrupts.crossCall()).thenReturn(ipis);
            AddressSpace space = vmm.createAddressSpace();
            space.map(0x40_0000, 0x2000, Permissions.parse("rw-u-"), Backing.anonymous());
            space.read(1, 0x40_0000, 1, Privilege.USER);
            assertTrue(component.localShootdown());

            component.bindInterrupts(interrupts);
            space.protect(0x40_0000, 0x1000, Permissions.parse("r--u-"));

            assertFalse(component.localShootdown());
            assertEquals(List.of("{1}"), ipis.calls, "the IPIs went to CPU 1, the one CPU that used the space");
            assertEquals(1, vmm.tlbStatistics(1).invalidations());

            component.unbindInterrupts(mock(InterruptManager.class));
            assertFalse(component.localShootdown(), "another manager leaving changes nothing");
            component.unbindInterrupts(interrupts);
            space.read(1, 0x40_0000, 1, Privilege.USER);
            space.unmap(0x40_0000, 0x1000);

            assertTrue(component.localShootdown());
            assertEquals(1, ipis.calls.size());
            assertEquals(2, vmm.tlbStatistics(1).invalidations(), "the local fallback reached CPU 1's TLB");
        }
    }

    @Test
    void deactivationUnregistersTheManager() throws Exception {
        try (Machine machine = Machines.create(Architecture.X86_64)) {
            new VirtualMemoryComponent(Pmms.over(machine.memory(), 4096), machine.memory(), Vm.format(Architecture.X86_64),
                    Machines.deviceTree(machine), context).deactivate();

            verify(registration).unregister();
        }
    }

    @Test
    void aPmmOfAnotherPageSizeRegistersNothingAndLogsWhyWithoutAStackTrace() throws Exception {
        try (Machine machine = Machines.create(Architecture.PPC64); KernelLog log = KernelLog.of(VirtualMemoryComponent.class)) {
            VirtualMemoryComponent component = new VirtualMemoryComponent(Pmms.over(machine.memory(), 4096),
                    machine.memory(), new RadixPageTableFormat(), Machines.deviceTree(machine), context);
            component.bindInterrupts(mock(InterruptManager.class));
            component.unbindInterrupts(mock(InterruptManager.class));
            component.deactivate();

            org.mockito.Mockito.verifyNoInteractions(context);
            var error = log.events().getLast();
            assertEquals(ch.qos.logback.classic.Level.ERROR, error.getLevel());
            assertEquals("no virtual memory manager: the PMM's frames are 4096 bytes, but radix 64K maps 65536-byte pages",
                    error.getFormattedMessage());
            assertEquals(null, error.getThrowableProxy());
        }
    }

    @Test
    void aPmmWhosePageSizeIsNotTheFormatsIsRefused() {
        try (Machine machine = Machines.create(Architecture.PPC64)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PagedVirtualMemoryManager(Pmms.over(machine.memory(), 4096), machine.memory(),
                            new RadixPageTableFormat(), 1, new LocalCrossCall(1)));

            assertEquals("the PMM's frames are 4096 bytes, but radix 64K maps 65536-byte pages", e.getMessage());
            assertEquals("a virtual memory manager needs at least one CPU, not 0", assertThrows(IllegalArgumentException.class,
                    () -> new PagedVirtualMemoryManager(Pmms.over(machine.memory(), 65536), machine.memory(),
                            new RadixPageTableFormat(), 0, new LocalCrossCall(1))).getMessage());
        }
    }

    private VirtualMemoryManager registered() {
        ArgumentCaptor<VirtualMemoryManager> vmm = ArgumentCaptor.forClass(VirtualMemoryManager.class);
        verify(context).registerService(eq(VirtualMemoryManager.class), vmm.capture(), any());
        return vmm.getValue();
    }

    /** A cross-call that records its targets and runs the action for each, as the IPIs would. */
    private static final class Recording implements CrossCall {
        final List<String> calls = new ArrayList<>();

        @Override
        public void runOn(BitSet cpus, IntConsumer action) {
            calls.add(cpus.toString());
            cpus.stream().forEach(action);
        }
    }
}

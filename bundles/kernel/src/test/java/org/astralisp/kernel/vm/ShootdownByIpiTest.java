package org.astralisp.kernel.vm;

import static org.astralisp.kernel.vm.CopyOnWriteTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.testing.ArchInterruptDrivers;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLB shootdown by real inter-processor interrupts: the VMM on the kernel's
 * interrupt framework, on each machine with its arch bundle's drivers. Code
 * "on CPU n" runs on vCPU n's own thread, sent there by a cross call; the
 * unmap on vCPU 0 interrupts vCPU 1, whose handler drops its stale entry.
 */
@Timeout(60)
class ShootdownByIpiTest {

    private static final Permissions RW = Permissions.parse("rw-u-");

    /** Runs {@code step} on vCPU {@code cpu}'s thread and returns what it returned (or rethrows what it threw). */
    private static <T> T on(InterruptFramework framework, int cpu, java.util.function.IntFunction<T> step) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        BitSet target = new BitSet();
        target.set(cpu);
        framework.crossCall().runOn(target, c -> {
            try {
                outcome.set(new Object[] {step.apply(c)});
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        if (outcome.get() instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T value = (T) ((Object[]) outcome.get())[0];
        return value;
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anUnmapOnCpu0InterruptsCpu1AndItsStaleTranslationIsGone(Architecture architecture) throws Exception {
        Machine machine = Machine.create(new MachineConfig(architecture, 2, 64L << 20, ""));
        ArchInterruptDrivers drivers = ArchInterruptDrivers.of(machine);
        InterruptFramework framework = new InterruptFramework(drivers.controller(), machine.cpus(), drivers.timers());
        framework.start(Duration.ofSeconds(5));
        Vm vm = Vm.on(machine, framework.crossCall());
        try {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            on(framework, 0, cpu -> {
                space.write(cpu, vm.base(), bytes("old"), Privilege.USER);
                return null;
            });
            assertArrayEquals(bytes("old"), on(framework, 1, cpu -> space.read(cpu, vm.base(), 3, Privilege.USER)));
            assertArrayEquals(bytes("old"), on(framework, 1, cpu -> space.read(cpu, vm.base(), 3, Privilege.USER)));
            assertTrue(vm.vmm.tlbStatistics(1).hits() >= 1, "CPU 1 holds the translation");
            long invalidations = vm.vmm.tlbStatistics(1).invalidations();

            on(framework, 0, cpu -> {
                space.unmap(vm.base(), vm.pageSize);
                return null;
            });

            assertEquals(invalidations + 1, vm.vmm.tlbStatistics(1).invalidations(),
                    "CPU 1's entry was invalidated, by the IPI's handler on its own thread");
            RuntimeException fault = on(framework, 1, cpu -> {
                try {
                    space.read(cpu, vm.base(), 3, Privilege.USER);
                    return null;
                } catch (SegmentationFaultException e) {
                    return e;
                }
            });
            assertEquals(SegmentationFaultException.Reason.NOT_MAPPED,
                    assertInstanceOf(SegmentationFaultException.class, fault).reason());
        } finally {
            framework.stop(Duration.ofSeconds(5));
            vm.close();
        }
    }
}

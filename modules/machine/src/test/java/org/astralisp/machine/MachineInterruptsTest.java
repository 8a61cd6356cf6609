package org.astralisp.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.astralisp.machine.devicetree.DtbReader;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The machine wires each platform's interrupt controllers and timers (the
 * {@code irq} package) as its device tree describes them: an OS that maps the
 * {@code reg} of a controller reaches it, and an interrupt raised through the
 * controller's registers arrives at the right vCPU's entry with the
 * architectural cause.
 */
class MachineInterruptsTest {

    private static final long MIB = 1L << 20;
    private static final long TIMEOUT_SECONDS = 10;

    private static Machine machine(Architecture arch, int cpus) {
        return Machine.create(new MachineConfig(arch, cpus, 64 * MIB, ""));
    }

    private static long u64(int[] cells, int at) {
        return ((long) cells[at] << 32) | Integer.toUnsignedLong(cells[at + 1]);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void eachInterruptControllerDecodesExactlyTheRegItsNodeGives(Architecture arch) {
        try (Machine machine = machine(arch, 3)) {
            DtbReader.Node soc = DtbReader.read(machine.firmware().deviceTree()).at("soc");
            List<DtbReader.Node> controllers = soc.children().stream()
                    .filter(n -> n.has("interrupt-controller") || n.name().startsWith("clint@")).toList();
            assertEquals(arch == Architecture.PPC64 ? 1 : 2, controllers.size());
            for (DtbReader.Node controller : controllers) {
                int[] reg = controller.cells("reg");
                long base = u64(reg, 0);
                long size = u64(reg, 2);
                Mmio window = machine.mmio().map(base, size);
                assertEquals(size, window.size(), controller.name());
                assertThrows(MachineCheckException.class, () -> machine.mmio().map(base, size + 1),
                        controller.name() + " decodes more than its reg");
            }
        }
    }

    @Test
    void riscvSoftwareInterruptThroughTheClintReachesTheHart() throws Exception {
        try (Machine machine = machine(Architecture.RISCV64, 2)) {
            Cpu hart1 = machine.cpus().get(1);
            Mmio clint = machine.mmio().map(0x0200_0000L, 0x1_0000);
            CompletableFuture<Long> cause = new CompletableFuture<>();
            hart1.setInterruptEntry((cpu, c) -> {
                clint.write32(4, 0);
                cause.complete(c);
            });
            CountDownLatch ready = new CountDownLatch(1);
            hart1.start(() -> {
                hart1.writeSystemRegister(0x304, 1 << 3);
                hart1.enableInterrupts();
                ready.countDown();
                while (true) {
                    hart1.waitForInterrupt();
                }
            });
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            clint.write32(4, 1);
            assertEquals(Long.MIN_VALUE | 3, cause.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "mcause: machine software");
        }
    }

    @Test
    void x86InterProcessorInterruptThroughTheLocalApicReachesTheOtherCpu() throws Exception {
        try (Machine machine = machine(Architecture.X86_64, 2)) {
            Cpu sender = machine.cpus().get(0);
            Cpu receiver = machine.cpus().get(1);
            Mmio apic = machine.mmio().map(0xFEE0_0000L, 0x1000);
            CompletableFuture<Long> vector = new CompletableFuture<>();
            receiver.setInterruptEntry((cpu, v) -> {
                apic.write32(0x0B0, 0);
                vector.complete(v);
            });
            CountDownLatch ready = new CountDownLatch(1);
            receiver.start(() -> {
                apic.write32(0x0F0, 0x1FF);
                receiver.enableInterrupts();
                ready.countDown();
                while (true) {
                    receiver.waitForInterrupt();
                }
            });
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            sender.start(() -> {
                apic.write32(0x0F0, 0x1FF);
                apic.write32(0x310, 1 << 24);
                apic.write32(0x300, 0x4000 | 0x40);
            });
            assertEquals(0x40L, vector.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void ppc64DecrementerReachesTheCpuWhenItGoesNegative() throws Exception {
        try (Machine machine = machine(Architecture.PPC64, 1)) {
            Cpu cpu = machine.cpus().getFirst();
            CompletableFuture<Long> cause = new CompletableFuture<>();
            cpu.setInterruptEntry((c, vector) -> {
                c.writeSystemRegister(22, 0x7FFF_FFFF);
                cause.complete(vector);
            });
            cpu.start(() -> {
                cpu.enableInterrupts();
                cpu.writeSystemRegister(22, 5120);
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
            assertEquals(0x900L, cause.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "decrementer vector");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void eachCpuHasTheArchitecturesTimeRegister(Architecture arch) {
        int timeRegister = switch (arch) {
            case X86_64 -> 0x10;
            case RISCV64 -> 0xC01;
            case PPC64 -> 268;
        };
        try (Machine machine = machine(arch, 2)) {
            for (Cpu cpu : machine.cpus()) {
                long first = cpu.readSystemRegister(timeRegister);
                long later = cpu.readSystemRegister(timeRegister);
                assertTrue(Long.compareUnsigned(later, first) >= 0, arch + " time went backwards");
            }
        }
    }
}

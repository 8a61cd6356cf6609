package org.astralisp.machine.device.virtio;

import static org.astralisp.machine.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.devicetree.DtbReader;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The virtio-mmio slots as an OS finds and drives them on each machine: from
 * the device tree's {@code virtio,mmio} nodes, through {@code MmioSpace} and
 * {@code PhysicalMemory} only; the entropy device's interrupt travels through
 * the platform's real controller to a vCPU's interrupt entry.
 */
class VirtioOnEachMachineTest {

    private static final long MIB = 1L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One {@code virtio_mmio@…} node: its {@code reg} and the first cell of its {@code interrupts}. */
    record Slot(long base, long size, int interrupt) {
    }

    /** The machine's virtio-mmio slots in device-tree order, which is slot order. */
    static List<Slot> slots(Machine machine) {
        DtbReader.Node soc = DtbReader.read(machine.firmware().deviceTree()).at("soc");
        return soc.children().stream().filter(n -> n.name().startsWith("virtio_mmio@")).map(n -> {
            int[] reg = n.cells("reg");
            return new Slot(u64(reg, 0), u64(reg, 2), n.cells("interrupts")[0]);
        }).toList();
    }

    private static long u64(int[] cells, int at) {
        return ((long) cells[at] << 32) | Integer.toUnsignedLong(cells[at + 1]);
    }

    private static Machine machine(Architecture arch) {
        return Machine.create(new MachineConfig(arch, 1, 64 * MIB, ""));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void slotZeroIsTheEntropyDeviceAndTheOthersAreEmpty(Architecture arch) {
        try (Machine machine = machine(arch)) {
            List<Slot> slots = slots(machine);
            assertEquals(8, slots.size());
            for (int i = 0; i < slots.size(); i++) {
                Slot slot = slots.get(i);
                Mmio regs = machine.mmio().map(slot.base(), slot.size());
                assertEquals(MAGIC, regs.read32(MAGIC_VALUE), arch + " slot " + i);
                assertEquals(2, regs.read32(VERSION_REGISTER), arch + " slot " + i);
                assertEquals(i == 0 ? 4 : 0, regs.read32(DEVICE_ID), arch + " slot " + i);
                assertThrows(MachineCheckException.class, () -> machine.mmio().map(slot.base(), slot.size() + 1),
                        "the transport decodes exactly its reg");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theEntropyDeviceFillsBuffersInGuestRam(Architecture arch) throws InterruptedException {
        try (Machine machine = machine(arch)) {
            Slot slot = slots(machine).getFirst();
            VirtioDriver driver = new VirtioDriver(machine.mmio().map(slot.base(), slot.size()), machine.memory());
            driver.initialize(F_VERSION_1 | F_INDIRECT_DESC, 32);
            int[] heads = {driver.submitWritable(128), driver.submitWritable(128), driver.submitWritable(64, 64)};
            driver.notifyQueue();
            Set<String> seen = new HashSet<>();
            for (int head : heads) {
                VirtioDriver.Used used = driver.awaitUsed(TIMEOUT);
                assertEquals(head, used.id(), arch.toString());
                assertEquals(128, used.length(), arch + ": used length = buffer length");
                byte[] bytes = driver.bytes(driver.descriptorAddress(head), 64);
                assertTrue(seen.add(Arrays.toString(bytes)), arch + ": distinct random data");
            }
            assertEquals(USED_BUFFER_NOTIFICATION, driver.read(INTERRUPT_STATUS), arch.toString());
        }
    }

    /** How the OS programs the platform's controller for one device line and ends an interrupt there. */
    private interface Controller {
        /** Routes {@code line} to CPU 0; called on the test thread before the CPU starts. */
        void route(int line);

        /** On the CPU, before it enables interrupts. */
        default void prepareCpu(Cpu cpu) {
        }

        /** In the interrupt entry: takes the interrupt, returns its source, and {@link #end}s after the device is quiet. */
        int take(long cause);

        void end(int source);
    }

    private static Controller controller(Architecture arch, Machine machine) {
        return switch (arch) {
            case X86_64 -> new Controller() {
                final Mmio ioApic = machine.mmio().map(0xFEC0_0000L, 0x20);
                final Mmio apic = machine.mmio().map(0xFEE0_0000L, 0x1000);
                int pin;

                @Override
                public void route(int line) {
                    pin = line;
                    ioApic.write32(0x00, 0x11 + 2 * line);
                    ioApic.write32(0x10, 0);
                    ioApic.write32(0x00, 0x10 + 2 * line);
                    ioApic.write32(0x10, 0x8000 | 0x35);
                }

                @Override
                public void prepareCpu(Cpu cpu) {
                    apic.write32(0x0F0, 0x1FF);
                }

                @Override
                public int take(long vector) {
                    return (int) vector == 0x35 ? pin : -1;
                }

                @Override
                public void end(int source) {
                    apic.write32(0x0B0, 0);
                }
            };
            case RISCV64 -> new Controller() {
                final Mmio plic = machine.mmio().map(0x0C00_0000L, 0x20_2000);

                @Override
                public void route(int line) {
                    plic.write32(4L * line, 1);
                    plic.write32(0x2000 + 4L * (line / 32), 1 << (line % 32));
                }

                @Override
                public void prepareCpu(Cpu cpu) {
                    cpu.writeSystemRegister(0x304, 1 << 11);
                }

                @Override
                public int take(long cause) {
                    return cause == (Long.MIN_VALUE | 11) ? plic.read32(0x20_0004) : -1;
                }

                @Override
                public void end(int source) {
                    plic.write32(0x20_0004, source);
                }
            };
            case PPC64 -> new Controller() {
                final Mmio xive = machine.mmio().map(0x0006_0000_0000_0000L, 0x1_1000);

                @Override
                public void route(int line) {
                    xive.write32(0x1000 + 4L * line, 5);
                    xive.write32(0x1_0000, 0xFF);
                }

                @Override
                public int take(long vector) {
                    return vector == 0x500 ? xive.read32(0x1_0004) & 0xFF_FFFF : -1;
                }

                @Override
                public void end(int source) {
                    xive.write32(0x1_0008, source);
                    xive.write32(0x1_0000, 0xFF);
                }
            };
        };
    }

    /**
     * The device raises its line, the controller delivers it to CPU 0's entry,
     * whose handler reads InterruptStatus, acknowledges it (the line goes low)
     * and ends the interrupt at the controller: a level line that stayed high
     * would be delivered again, and is not.
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theUsedBufferInterruptReachesTheCpuAndAcknowledgingItLowersTheLine(Architecture arch) throws Exception {
        try (Machine machine = machine(arch)) {
            Slot slot = slots(machine).getFirst();
            Mmio regs = machine.mmio().map(slot.base(), slot.size());
            VirtioDriver driver = new VirtioDriver(regs, machine.memory());
            Controller controller = controller(arch, machine);
            controller.route(slot.interrupt());
            Cpu cpu = machine.cpus().getFirst();
            BlockingQueue<String> deliveries = new LinkedBlockingQueue<>();
            AtomicInteger count = new AtomicInteger();
            cpu.setInterruptEntry((c, cause) -> {
                int source = controller.take(cause);
                int status = regs.read32(INTERRUPT_STATUS);
                regs.write32(INTERRUPT_ACK, status);
                controller.end(source);
                count.incrementAndGet();
                deliveries.add("source " + source + " status " + status);
            });
            CountDownLatch ready = new CountDownLatch(1);
            cpu.start(() -> {
                controller.prepareCpu(cpu);
                cpu.enableInterrupts();
                ready.countDown();
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
            assertTrue(ready.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            driver.initialize(F_VERSION_1, 8);
            for (int request = 1; request <= 2; request++) {
                driver.submitWritable(16);
                driver.notifyQueue();
                assertEquals("source " + slot.interrupt() + " status " + USED_BUFFER_NOTIFICATION,
                        deliveries.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS), arch + " request " + request);
                assertEquals(16, driver.awaitUsed(TIMEOUT).length());
            }
            Thread.sleep(50);
            assertEquals(2, count.get(), arch + ": once per used buffer, the acknowledged line not delivered again");
            assertEquals(0, regs.read32(INTERRUPT_STATUS));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void powerOffStopsTheVirtioWorker(Architecture arch) throws InterruptedException {
        Machine machine = machine(arch);
        Slot slot = slots(machine).getFirst();
        VirtioDriver driver = new VirtioDriver(machine.mmio().map(slot.base(), slot.size()), machine.memory());
        driver.initialize(F_VERSION_1, 8);
        driver.submitWritable(16);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertTrue(workerAlive(), "the worker started for the request");
        machine.close();
        assertTrue(workerEnds(), "power-off ended the worker");
    }

    private static boolean workerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("virtio-worker") && t.isAlive());
    }

    /** Whether no {@code virtio-worker} thread is alive within 2 s (a terminated executor's thread is still unwinding). */
    static boolean workerEnds() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (workerAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}

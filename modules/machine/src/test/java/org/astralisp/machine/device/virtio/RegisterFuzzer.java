package org.astralisp.machine.device.virtio;

import static org.astralisp.machine.device.virtio.VirtioMmioTransport.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * Random driver behaviour against one virtio-mmio window: random values to
 * random registers at random widths, random bytes over the first 64 KiB of
 * RAM (where it points the rings), and now and then a correct initialization
 * and a request, so that the device is often live while its rings are
 * garbage. The only exception it lets pass is {@link MachineCheckException},
 * the documented answer to a bad access.
 */
final class RegisterFuzzer {

    private static final int[] REGISTERS = {MAGIC_VALUE, VERSION_REGISTER, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES,
        DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM_MAX, QUEUE_NUM, QUEUE_READY,
        QUEUE_NOTIFY, INTERRUPT_STATUS, INTERRUPT_ACK, STATUS, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW,
        QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, SHM_SEL, SHM_LEN_LOW, SHM_BASE_HIGH, QUEUE_RESET,
        CONFIG_GENERATION, CONFIG};
    private static final long WINDOW = 64 * 1024;
    private static final long[] AREAS = {0, VirtioDriver.RING_OFFSET, VirtioDriver.BUFFER_OFFSET};

    private final Mmio regs;
    private final PhysicalMemory memory;
    private final VirtioDriver driver;
    private final Random random;
    int machineChecks;
    int operations;

    RegisterFuzzer(Mmio regs, PhysicalMemory memory, Random random) {
        this.regs = regs;
        this.memory = memory;
        this.driver = new VirtioDriver(regs, memory);
        this.random = random;
    }

    /** Runs until {@code nanos} have passed or {@code maxOperations} were done. */
    void run(long nanos, int maxOperations) {
        long deadline = System.nanoTime() + nanos;
        while (operations < maxOperations && System.nanoTime() < deadline) {
            operations++;
            try {
                step();
            } catch (MachineCheckException e) {
                machineChecks++;
            }
        }
    }

    private void step() {
        int choice = random.nextInt(100);
        if (choice < 30) {
            write(offset(), width(), value());
        } else if (choice < 40) {
            read(offset(), width());
        } else if (choice < 70) {
            scribble();
        } else if (choice < 90) {
            regs.write32(QUEUE_NOTIFY, random.nextInt(4) == 0 ? random.nextInt() : 0);
        } else if (regs.read32(DEVICE_ID) != 0) {
            initializeAndRequest();
        }
    }

    private int offset() {
        return random.nextInt(4) == 0 ? random.nextInt(0x200) : REGISTERS[random.nextInt(REGISTERS.length)];
    }

    private int width() {
        int w = random.nextInt(10);
        return w < 7 ? 4 : 1 << (w - 7);
    }

    /** Values a driver might write, and some it never should. */
    private long value() {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt(16);
            case 1 -> random.nextInt(256);
            case 2 -> 1L << random.nextInt(32);
            case 3 -> ramAddress();
            case 4 -> ramAddress() >>> 32;
            default -> random.nextLong();
        };
    }

    /** An address in one of the areas the rings and buffers use, or just past RAM. */
    private long ramAddress() {
        if (random.nextInt(10) == 0) {
            return memory.base() + memory.size() - random.nextInt(64);
        }
        return memory.base() + AREAS[random.nextInt(AREAS.length)] + random.nextLong(WINDOW);
    }

    private void write(int offset, int width, long value) {
        int at = offset & ~(width - 1) & 0x1FF;
        switch (width) {
            case 1 -> regs.write8(at, (int) value);
            case 2 -> regs.write16(at, (int) value);
            case 4 -> regs.write32(at, (int) value);
            default -> regs.write64(at, value);
        }
    }

    private void read(int offset, int width) {
        int at = offset & ~(width - 1) & 0x1FF;
        switch (width) {
            case 1 -> regs.read8(at);
            case 2 -> regs.read16(at);
            case 4 -> regs.read32(at);
            default -> regs.read64(at);
        }
    }

    /**
     * Garbage where the test driver keeps its rings (RAM + 1 MiB, at most
     * 8 KiB for 256 entries): random bytes, a plausible descriptor, or an
     * available ring entry and index a little ahead.
     */
    private void scribble() {
        MemorySegment ram = memory.segment();
        long ring = VirtioDriver.RING_OFFSET;
        // Ring entries need the driver's rings: only after its first initialization.
        switch (random.nextInt(driver.size == 0 ? 2 : 4)) {
            case 0 -> {
                byte[] junk = new byte[1 + random.nextInt(16)];
                random.nextBytes(junk);
                MemorySegment.copy(junk, 0, ram, ValueLayout.JAVA_BYTE, ring + random.nextInt(8192), junk.length);
            }
            case 1 -> driver.descriptor(memory.base() + ring, random.nextInt(256), ramAddress(),
                    random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(4096), random.nextInt(8),
                    random.nextInt(8) == 0 ? random.nextInt(65536) : random.nextInt(256));
            case 2 -> driver.publish(random.nextInt(8) == 0 ? random.nextInt(65536) : random.nextInt(256));
            default -> driver.setAvailIdx(driver.usedIdx() + random.nextInt(4) - 1);
        }
    }

    private void initializeAndRequest() {
        long features = F_VERSION_1 | (random.nextBoolean() ? F_INDIRECT_DESC : 0)
                | (random.nextBoolean() ? F_EVENT_IDX : 0);
        driver.initialize(features, 1 << random.nextInt(9));
        driver.submitWritable(1 + random.nextInt(256));
        driver.notifyQueue();
    }
}

package org.astralisp.machine.device.pci;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.memory.GuestRam;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.Mmio;

/**
 * A root complex on its own bus, as the riscv64 board lays it out (ECAM at
 * 0x3000_0000, a 1 GiB window at 0x4000_0000 with bus = CPU address), with
 * 16 MiB of RAM at 0x8000_0000 and four INTx lines that record their level.
 */
final class PciTestBench implements AutoCloseable {

    static final long ECAM = 0x3000_0000L;
    static final long WINDOW = 0x4000_0000L;
    static final PhysicalRange RAM = new PhysicalRange(0x8000_0000L, 16 << 20);

    /** A level line that remembers its state and counts rising edges. */
    static final class RecordingLine implements IrqLine {
        volatile boolean level;
        volatile int raises;

        @Override
        public synchronized void raise() {
            if (!level) {
                raises++;
            }
            level = true;
        }

        @Override
        public synchronized void lower() {
            level = false;
        }
    }

    final SystemBus bus = new SystemBus(RAM);
    final GuestRam ram = GuestRam.map(RAM);
    final List<RecordingLine> lines = new ArrayList<>();
    final PcieRootComplex pcie;
    final Mmio ecam;

    PciTestBench(long windowBusAddress) {
        for (int i = 0; i < 4; i++) {
            lines.add(new RecordingLine());
        }
        pcie = new PcieRootComplex(bus, new PhysicalRange(ECAM, 256 << 20), new PhysicalRange(WINDOW, 1 << 30),
                windowBusAddress, List.copyOf(lines));
        ecam = bus.map(ECAM, 256 << 20);
    }

    PciTestBench() {
        this(WINDOW);
    }

    static int config(int device, int function, int register) {
        return device << 15 | function << 12 | register;
    }

    int read32(int device, int function, int register) {
        return ecam.read32(config(device, function, register));
    }

    void write32(int device, int function, int register, int value) {
        ecam.write32(config(device, function, register), value);
    }

    /** Waits up to 5 s for {@code condition}; fails naming {@code what}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        pcie.close();
        ram.close();
    }
}

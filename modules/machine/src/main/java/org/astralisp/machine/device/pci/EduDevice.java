package org.astralisp.machine.device.pci;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * QEMU's educational PCI device ({@code hw/misc/edu.c}, specified in QEMU's
 * {@code docs/specs/edu.rst}): vendor 0x1234, device 0x11e8, class 0x00ff00
 * (unclassified), revision 0x10, INTA#, and BAR 0, a 1 MiB 32-bit
 * non-prefetchable memory BAR with these registers (little-endian):
 *
 * <pre>
 * 0x00 RO  identification 0x010000ed (version 1.0)
 * 0x04 RW  liveness check: reads back the bitwise inverse of what was written
 * 0x08 RW  factorial: writing n starts computing n! (mod 2^32); reads n until done, then n!
 * 0x20 RW  status: bit 0 computing (RO), bit 7 raise interrupt 0x001 when the factorial is done
 * 0x24 RO  interrupt status: the OR of the values raised and not yet acknowledged
 * 0x60 WO  interrupt raise: ORs the value into the interrupt status
 * 0x64 WO  interrupt acknowledge: clears the value's bits from the interrupt status
 * 0x80 RW  DMA source address (64-bit)
 * 0x88 RW  DMA destination address (64-bit)
 * 0x90 RW  DMA transfer count
 * 0x98 RW  DMA command: bit 0 start (reads 1 until done), bit 1 direction (0 RAM to device, 1 device to RAM),
 *          bit 2 raise interrupt 0x100 when done
 * </pre>
 *
 * <p>Accesses below 0x80 are 4 bytes, from 0x80 on 4 or 8 bytes (edu.rst,
 * "MMIO area spec"); others, and accesses where no register is, are machine
 * checks. The device's 4 KiB DMA buffer sits at device address 0x40000: a
 * transfer copies between it and guest RAM, whose physical addresses are the
 * bus addresses (no IOMMU; every board's host bridge is {@code dma-coherent}
 * with RAM at the same address on both sides). Unlike QEMU's default 28-bit
 * {@code dma_mask}, any RAM address is reachable (the riscv64 board's RAM
 * starts at 2 GiB).
 *
 * <p>The interrupt is level: the function requests INTx while the interrupt
 * status is non-zero (edu.rst, "IRQ controller"). Factorials and transfers run
 * on the device's {@link DeviceWorker}, not on the vCPU that started them. A
 * transfer is done only while Bus Master Enable is set and the whole range is
 * in the buffer and in RAM; otherwise it moves nothing, raises no interrupt,
 * and is counted with its reason ({@link #dmaErrors()}, {@link #lastDmaError()})
 * — QEMU stops the whole emulator there, which a model that must survive a
 * buggy driver cannot do.
 *
 * <p>Locking: all state under this object's monitor (the function's); the
 * worker computes a factorial outside it and holds it only to copy at most
 * 4 KiB between the buffer and RAM, or to publish a result.
 */
public final class EduDevice extends PciFunction {

    public static final int VENDOR = 0x1234;
    public static final int DEVICE = 0x11e8;
    public static final int CLASS = 0x00_ff_00;
    public static final int REVISION = 0x10;
    public static final long BAR0_SIZE = 1 << 20;
    public static final int IDENTIFICATION = 0x010000ed;

    static final int LIVENESS = 0x04;
    static final int FACTORIAL = 0x08;
    static final int STATUS = 0x20;
    static final int INTERRUPT_STATUS = 0x24;
    static final int INTERRUPT_RAISE = 0x60;
    static final int INTERRUPT_ACK = 0x64;
    static final int DMA_SOURCE = 0x80;
    static final int DMA_DESTINATION = 0x88;
    static final int DMA_COUNT = 0x90;
    static final int DMA_COMMAND = 0x98;

    static final int STATUS_COMPUTING = 0x01;
    static final int STATUS_IRQ_ON_FACTORIAL = 0x80;
    static final int FACTORIAL_INTERRUPT = 0x001;
    static final int DMA_START = 0x1;
    static final int DMA_TO_RAM = 0x2;
    static final int DMA_IRQ = 0x4;
    static final int DMA_INTERRUPT = 0x100;
    static final long DMA_BUFFER = 0x40000;
    static final int DMA_BUFFER_SIZE = 4096;

    /**
     * The PCI Express capability (PCIe Base 4.0 §7.5.3): id 0x10, no next,
     * version 2, device/port type 1001b (Root Complex Integrated Endpoint, as
     * a function on the root bus is); every other register 0 (128-byte
     * payloads, no link: an integrated endpoint has none).
     */
    private static final byte[] PCIE_CAPABILITY = pcieCapability();

    private final String name;
    private final PhysicalMemory ram;
    private final DeviceWorker worker;
    private final Registers registers = new Registers();
    private final byte[] buffer = new byte[DMA_BUFFER_SIZE];

    private int liveness;
    private int factorial;
    private int status;
    private int interruptStatus;
    private long dmaSource;
    private long dmaDestination;
    private long dmaCount;
    private long dmaCommand;
    private long dmaErrors;
    private String lastDmaError = "";

    /** An edu device called {@code name} doing DMA into {@code ram}, with its worker thread {@code name}. */
    public EduDevice(String name, PhysicalMemory ram) {
        super(VENDOR, DEVICE, REVISION, CLASS, QemuIds.SUBSYSTEM_VENDOR, QemuIds.SUBSYSTEM, 1, PCIE_CAPABILITY);
        this.name = Objects.requireNonNull(name, "name");
        this.ram = Objects.requireNonNull(ram, "ram");
        this.worker = new DeviceWorker(name);
        defineBar(0, new MemoryBar(BAR0_SIZE, false, false));
    }

    private static byte[] pcieCapability() {
        byte[] capability = new byte[0x3C];
        capability[0] = 0x10;
        capability[2] = (byte) 0x92;
        return capability;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected MmioDevice barRegisters(int slot) {
        if (slot != 0) {
            throw new IllegalArgumentException(name + " has only BAR 0, not BAR " + slot);
        }
        return registers;
    }

    /** Transfers refused so far. */
    public synchronized long dmaErrors() {
        return dmaErrors;
    }

    /** Why the last transfer was refused, or empty. */
    public synchronized String lastDmaError() {
        return lastDmaError;
    }

    /** Whether the worker thread has ended (after {@link #powerOff()}). */
    boolean workerStopped() {
        return worker.stopped();
    }

    /** Stops the worker; work in progress is dropped. */
    @Override
    protected void powerOff() {
        worker.close();
    }

    private synchronized long read(long offset, int width) {
        checkWidth(false, offset, width);
        long value = switch ((int) offset) {
            case 0x00 -> IDENTIFICATION;
            case LIVENESS -> liveness;
            case FACTORIAL -> factorial;
            case STATUS -> status;
            case INTERRUPT_STATUS -> interruptStatus;
            case INTERRUPT_RAISE, INTERRUPT_ACK -> throw RegisterFaults.writeOnly(name, offset, width,
                    offset == INTERRUPT_RAISE ? "interrupt raise" : "interrupt acknowledge");
            case DMA_SOURCE -> dmaSource;
            case DMA_DESTINATION -> dmaDestination;
            case DMA_COUNT -> dmaCount;
            case DMA_COMMAND -> dmaCommand;
            default -> throw RegisterFaults.noRegister(name, false, offset, width);
        };
        return width == 8 ? value : value & 0xFFFF_FFFFL;
    }

    private synchronized void write(long offset, int width, long value) {
        checkWidth(true, offset, width);
        int low = (int) value;
        switch ((int) offset) {
            case 0x00 -> throw RegisterFaults.readOnly(name, offset, width, "identification");
            case INTERRUPT_STATUS -> throw RegisterFaults.readOnly(name, offset, width, "interrupt status");
            case LIVENESS -> liveness = ~low;
            case FACTORIAL -> startFactorial(low);
            case STATUS -> status = status & ~STATUS_IRQ_ON_FACTORIAL | low & STATUS_IRQ_ON_FACTORIAL;
            case INTERRUPT_RAISE -> raise(low);
            case INTERRUPT_ACK -> {
                interruptStatus &= ~low;
                setInterruptRequest(interruptStatus != 0);
            }
            case DMA_SOURCE -> dmaSource = value;
            case DMA_DESTINATION -> dmaDestination = value;
            case DMA_COUNT -> dmaCount = value;
            case DMA_COMMAND -> startDma(value);
            default -> throw RegisterFaults.noRegister(name, true, offset, width);
        }
    }

    private void checkWidth(boolean write, long offset, int width) {
        if (offset < DMA_SOURCE ? width != 4 : width != 4 && width != 8) {
            throw RegisterFaults.badWidth(name, write, offset, width, offset < DMA_SOURCE
                    ? "edu registers below 0x80 are 4 bytes wide" : "edu registers from 0x80 are 4 or 8 bytes wide");
        }
    }

    private void raise(int bits) {
        interruptStatus |= bits;
        setInterruptRequest(interruptStatus != 0);
    }

    /** edu.rst: a write while a factorial is being computed is ignored, as in QEMU. */
    private void startFactorial(int n) {
        if ((status & STATUS_COMPUTING) != 0) {
            return;
        }
        factorial = n;
        status |= STATUS_COMPUTING;
        worker.submit(() -> finishFactorial(factorial(n)));
    }

    /** n! modulo 2^32, n unsigned; once the product is 0 (n ≥ 34) it stays 0, so the loop ends early. */
    static int factorial(int n) {
        int product = 1;
        for (long i = 2; i <= Integer.toUnsignedLong(n) && product != 0; i++) {
            product *= (int) i;
        }
        return product;
    }

    private synchronized void finishFactorial(int result) {
        factorial = result;
        status &= ~STATUS_COMPUTING;
        if ((status & STATUS_IRQ_ON_FACTORIAL) != 0) {
            raise(FACTORIAL_INTERRUPT);
        }
    }

    /** A write with bit 0 set starts a transfer unless one is running (QEMU ignores the write then). */
    private void startDma(long command) {
        if ((dmaCommand & DMA_START) != 0) {
            return;
        }
        dmaCommand = command;
        if ((command & DMA_START) != 0) {
            Transfer transfer = new Transfer(dmaSource, dmaDestination, dmaCount, command, busMaster());
            worker.submit(() -> finishDma(transfer.run()));
        }
    }

    private synchronized void finishDma(String error) {
        if (error.isEmpty()) {
            if ((dmaCommand & DMA_IRQ) != 0) {
                raise(DMA_INTERRUPT);
            }
        } else {
            dmaErrors++;
            lastDmaError = error;
        }
        dmaCommand &= ~DMA_START;
    }

    /** One transfer as programmed when it was started; {@link #run} copies and returns "" or why it did not. */
    private final class Transfer {
        private final long source;
        private final long destination;
        private final long count;
        private final boolean toRam;
        private final boolean busMaster;

        Transfer(long source, long destination, long count, long command, boolean busMaster) {
            this.source = source;
            this.destination = destination;
            this.count = count;
            this.toRam = (command & DMA_TO_RAM) != 0;
            this.busMaster = busMaster;
        }

        String run() {
            if (!busMaster) {
                return "DMA with Bus Master Enable clear";
            }
            long device = toRam ? source : destination;
            long guest = toRam ? destination : source;
            if (count < 0 || count > DMA_BUFFER_SIZE || device < DMA_BUFFER
                    || device - DMA_BUFFER > DMA_BUFFER_SIZE - count) {
                return String.format("DMA of 0x%x bytes at device address 0x%x: outside the buffer [0x%x, 0x%x)",
                        count, device, DMA_BUFFER, DMA_BUFFER + DMA_BUFFER_SIZE);
            }
            int at = (int) (device - DMA_BUFFER);
            try {
                MemorySegment memory = ram.slice(guest, count);
                synchronized (EduDevice.this) {
                    if (toRam) {
                        MemorySegment.copy(buffer, at, memory, ValueLayout.JAVA_BYTE, 0, (int) count);
                    } else {
                        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, 0, buffer, at, (int) count);
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                return "DMA of 0x" + Long.toHexString(count) + " bytes at 0x" + Long.toHexString(guest) + ": "
                        + e.getMessage();
            }
            return "";
        }
    }

    /** BAR 0 as the bus sees it. */
    private final class Registers implements MmioDevice {
        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return BAR0_SIZE;
        }

        @Override
        public long read(long offset, int width) {
            return EduDevice.this.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            EduDevice.this.write(offset, width, value);
        }
    }
}

package org.astralisp.machine.device.pci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.astralisp.machine.bus.MmioDevice;

/**
 * One PCI function's type 0 configuration header (PCI Local Bus 3.0 §6.1,
 * §6.2) and the 4 KiB of PCI Express configuration space around it:
 *
 * <pre>
 * 0x00 Vendor ID / Device ID                 RO
 * 0x04 Command / Status                      Command bits 1 Memory Space, 2 Bus Master, 6 Parity Error Response,
 *                                            8 SERR# Enable, 10 Interrupt Disable RW, the rest 0; Status RO:
 *                                            bit 3 Interrupt Status, bit 4 Capabilities List
 * 0x08 Revision ID / Class Code              RO
 * 0x0C Cache Line Size / Latency / Header    Cache Line Size RW (no effect on PCIe), Latency Timer 0,
 *      Type / BIST                           Header Type 0x00 or 0x80 (multi-function), BIST 0
 * 0x10..0x24 Base Address Registers 0..5     memory BARs with the sizing protocol (§6.2.5.1); unused slots 0
 * 0x2C Subsystem Vendor ID / Subsystem ID    RO
 * 0x30 Expansion ROM Base Address            0: none
 * 0x34 Capabilities Pointer                  RO
 * 0x3C Interrupt Line / Interrupt Pin        Line RW (a scratch byte for the OS), Pin RO 0..4
 * 0x40 .. capabilities                       RO, as the function gives them
 * the rest, up to 0xFFF                      reads 0, writes ignored (no extended capabilities)
 * </pre>
 *
 * <p>BAR sizing: the address bits below the BAR's size are hardwired to 0,
 * so writing all ones and reading back gives {@code ~(size - 1)} with the
 * flag bits, whose lowest set address bit is the size. A 64-bit BAR's upper
 * dword lives in the next slot and is fully writable (for sizes below 4 GiB).
 *
 * <p>Decoding: while Memory Space Enable is set, each BAR asks the host
 * bridge to decode its block at the bus address it holds; the bridge is told
 * after every write that may change that ({@link FunctionHost#decodingChanged}),
 * outside this function's lock. INTx: the function asks for its interrupt
 * with {@link #setInterruptRequest}; Status.Interrupt Status shows the
 * request, and the pin is asserted on the bridge's swizzled line while the
 * request stands and Interrupt Disable is clear (§6.2.2, §6.2.3).
 *
 * <p>Locking: configuration state is guarded by this object's monitor
 * (subclasses keep their device state under it too); lock order: function,
 * then INTx lines, then interrupt controller. The bridge's decoding lock is
 * never taken while holding a function's.
 */
public abstract class PciFunction {

    /** Command register bits (§6.2.2). */
    static final int COMMAND_MEMORY_SPACE = 1 << 1;
    static final int COMMAND_BUS_MASTER = 1 << 2;
    static final int COMMAND_INTERRUPT_DISABLE = 1 << 10;
    private static final int COMMAND_WRITABLE = COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER | 1 << 6 | 1 << 8
            | COMMAND_INTERRUPT_DISABLE;
    /** Status register bits (§6.2.3). */
    static final int STATUS_INTERRUPT = 1 << 3;
    static final int STATUS_CAPABILITIES = 1 << 4;

    static final int CONFIG_SIZE = 0x1000;
    /** The conventional header and capabilities (§6.1); PCIe's extended space follows. */
    static final int CONVENTIONAL_SIZE = 0x100;
    static final int BAR_SLOTS = 6;
    static final int CAPABILITIES_OFFSET = 0x40;

    private final int vendor;
    private final int device;
    private final int revision;
    private final int classCode;
    private final int subsystemVendor;
    private final int subsystem;
    private final int interruptPin;
    private final byte[] capabilities;
    /** {@code bars[i]} is the BAR whose low dword is slot i, or null (unused slot or a 64-bit BAR's upper half). */
    private final MemoryBar[] bars = new MemoryBar[BAR_SLOTS];
    private final long[] barAddresses = new long[BAR_SLOTS];

    private boolean multiFunction;
    private int command;
    private int cacheLineSize;
    private int interruptLine;
    private boolean interruptRequested;
    private boolean pinAsserted;
    private FunctionHost host;
    private int deviceNumber;

    /**
     * A function with these identifiers, {@code classCode} the 24-bit class
     * (base class, subclass, programming interface), {@code interruptPin} 0
     * (none) or 1..4 (INTA#..INTD#), and {@code capabilities} the bytes of its
     * capability list from offset 0x40 (empty for none).
     */
    protected PciFunction(int vendor, int device, int revision, int classCode, int subsystemVendor, int subsystem,
            int interruptPin, byte[] capabilities) {
        this.vendor = check16("vendor", vendor);
        this.device = check16("device", device);
        this.revision = revision & 0xFF;
        this.classCode = classCode & 0xFF_FFFF;
        this.subsystemVendor = check16("subsystem vendor", subsystemVendor);
        this.subsystem = check16("subsystem", subsystem);
        if (interruptPin < 0 || interruptPin > IntxLines.PINS) {
            throw new IllegalArgumentException("interrupt pin " + interruptPin + ": 0 (none) or 1..4 (INTA#..INTD#)");
        }
        this.interruptPin = interruptPin;
        if (capabilities.length > CONVENTIONAL_SIZE - CAPABILITIES_OFFSET) {
            throw new IllegalArgumentException(capabilities.length + " bytes of capabilities do not fit in 0x40..0xFF");
        }
        this.capabilities = capabilities.clone();
    }

    private static int check16(String what, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " id 0x" + Integer.toHexString(value) + " is not 16 bits");
        }
        return value;
    }

    /** Declares BAR {@code slot} (a 64-bit BAR takes {@code slot + 1} too); while the function is built. */
    protected final void defineBar(int slot, MemoryBar bar) {
        Objects.checkIndex(slot, BAR_SLOTS);
        if (bar.is64() && slot == BAR_SLOTS - 1) {
            throw new IllegalArgumentException("a 64-bit BAR cannot start in the last slot");
        }
        if (bars[slot] != null || slot > 0 && bars[slot - 1] != null && bars[slot - 1].is64()
                || bar.is64() && bars[slot + 1] != null) {
            throw new IllegalArgumentException("BAR slot " + slot + " is taken");
        }
        bars[slot] = bar;
    }

    /** The MMIO registers BAR {@code slot} decodes. */
    protected abstract MmioDevice barRegisters(int slot);

    /** Machine power-off: stops whatever the function runs on its own threads. None by default. */
    protected void powerOff() {
    }

    /** A short name for the bus: {@code edu}, {@code host-bridge}. */
    public abstract String name();

    /** Called once by the bridge that places the function at {@code deviceNumber}. */
    final synchronized void plug(FunctionHost bridge, int deviceNumber, boolean multiFunction) {
        if (host != null) {
            throw new IllegalStateException(name() + " is plugged already");
        }
        this.host = Objects.requireNonNull(bridge);
        this.deviceNumber = deviceNumber;
        this.multiFunction = multiFunction;
    }

    /** Reads {@code width} (1, 2 or 4) bytes at {@code offset}, naturally aligned, below 0x1000. */
    final long readConfig(int offset, int width) {
        int dword;
        synchronized (this) {
            dword = readDword(offset & ~3);
        }
        long value = (dword & 0xFFFF_FFFFL) >>> (8 * (offset & 3));
        return width == 4 ? value : value & ((1L << (8 * width)) - 1);
    }

    /** Writes the low {@code width} bytes of {@code value} at {@code offset}: only those bytes change. */
    final void writeConfig(int offset, int width, long value) {
        int shift = 8 * (offset & 3);
        int bytes = (int) (((1L << (8 * width)) - 1) << shift);
        int data = (int) (value << shift) & bytes;
        FunctionHost bridge;
        synchronized (this) {
            bridge = writeDword(offset & ~3, data, bytes) ? host : null;
        }
        if (bridge != null) {
            bridge.decodingChanged();
        }
    }

    private int readDword(int offset) {
        return switch (offset) {
            case 0x00 -> device << 16 | vendor;
            case 0x04 -> status() << 16 | command;
            case 0x08 -> classCode << 8 | revision;
            case 0x0C -> (multiFunction ? 0x80 : 0) << 16 | cacheLineSize;
            case 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24 -> readBar((offset - 0x10) / 4);
            case 0x2C -> subsystem << 16 | subsystemVendor;
            case 0x34 -> capabilities.length == 0 ? 0 : CAPABILITIES_OFFSET;
            case 0x3C -> interruptPin << 8 | interruptLine;
            default -> offset >= CAPABILITIES_OFFSET && offset < CAPABILITIES_OFFSET + capabilities.length
                    ? capabilityDword(offset - CAPABILITIES_OFFSET) : 0;
        };
    }

    private int capabilityDword(int index) {
        int dword = 0;
        for (int i = 0; i < 4 && index + i < capabilities.length; i++) {
            dword |= (capabilities[index + i] & 0xFF) << (8 * i);
        }
        return dword;
    }

    private int status() {
        return (interruptRequested ? STATUS_INTERRUPT : 0) | (capabilities.length == 0 ? 0 : STATUS_CAPABILITIES);
    }

    /** Applies the writable bits of {@code data} under {@code bytes}; true if BAR decoding may have changed. */
    private boolean writeDword(int offset, int data, int bytes) {
        switch (offset) {
            case 0x04 -> {
                int old = command;
                int next = (command & ~bytes | data & bytes) & COMMAND_WRITABLE;
                command = next & 0xFFFF;
                updatePin();
                return ((old ^ command) & COMMAND_MEMORY_SPACE) != 0;
            }
            case 0x0C -> {
                cacheLineSize = (cacheLineSize & ~bytes | data & bytes) & 0xFF;
                return false;
            }
            case 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24 -> {
                return writeBar((offset - 0x10) / 4, data, bytes);
            }
            case 0x3C -> {
                interruptLine = (interruptLine & ~bytes | data & bytes) & 0xFF;
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private int readBar(int slot) {
        MemoryBar bar = bars[slot];
        if (bar != null) {
            return (int) (barAddresses[slot] & 0xFFFF_FFF0L) | bar.flags();
        }
        if (slot > 0 && bars[slot - 1] != null && bars[slot - 1].is64()) {
            return (int) (barAddresses[slot - 1] >>> 32);
        }
        return 0;
    }

    private boolean writeBar(int slot, int data, int bytes) {
        MemoryBar bar = bars[slot];
        if (bar != null) {
            int low = readBar(slot) & ~bytes | data & bytes;
            long address = barAddresses[slot] & 0xFFFF_FFFF_0000_0000L | low & 0xFFFF_FFF0L;
            barAddresses[slot] = address & -bar.size() & (bar.is64() ? -1L : 0xFFFF_FFFFL);
            return (command & COMMAND_MEMORY_SPACE) != 0;
        }
        if (slot > 0 && bars[slot - 1] != null && bars[slot - 1].is64()) {
            MemoryBar lower = bars[slot - 1];
            int high = readBar(slot) & ~bytes | data & bytes;
            long address = (long) high << 32 | barAddresses[slot - 1] & 0xFFFF_FFFFL;
            barAddresses[slot - 1] = address & -lower.size();
            return (command & COMMAND_MEMORY_SPACE) != 0;
        }
        return false;
    }

    /** What this function asks the bridge to decode now: one entry per BAR while Memory Space is enabled. */
    final synchronized List<BarWindow> decodeRequests() {
        if ((command & COMMAND_MEMORY_SPACE) == 0) {
            return List.of();
        }
        List<BarWindow> requests = new ArrayList<>();
        for (int slot = 0; slot < BAR_SLOTS; slot++) {
            if (bars[slot] != null) {
                requests.add(new BarWindow(this, slot, barAddresses[slot], bars[slot].size()));
            }
        }
        return requests;
    }

    /** A BAR's block on the bus: {@code size} bytes at bus address {@code busAddress}. */
    record BarWindow(PciFunction function, int slot, long busAddress, long size) {
    }

    /** Whether Bus Master Enable is set: a function may only start DMA then (§6.2.2). */
    protected final synchronized boolean busMaster() {
        return (command & COMMAND_BUS_MASTER) != 0;
    }

    /**
     * Asks for (or withdraws) the function's interrupt: Status.Interrupt
     * Status follows, and the pin follows unless Interrupt Disable is set.
     */
    protected final synchronized void setInterruptRequest(boolean requested) {
        interruptRequested = requested;
        updatePin();
    }

    private void updatePin() {
        boolean level = interruptRequested && (command & COMMAND_INTERRUPT_DISABLE) == 0 && interruptPin != 0;
        if (level != pinAsserted && host != null) {
            pinAsserted = level;
            host.pinChanged(IntxLines.swizzle(deviceNumber, interruptPin), level);
        }
    }

    /** The bytes of the function's capability list (for tests). */
    final byte[] capabilities() {
        return Arrays.copyOf(capabilities, capabilities.length);
    }

    /** The bridge a function is plugged into, as the function sees it. */
    interface FunctionHost {
        /** A BAR or Memory Space Enable changed: decode again. Called without the function's lock. */
        void decodingChanged();

        /** The function's pin, swizzled to {@code line}, went to {@code asserted}. Called under its lock. */
        void pinChanged(int line, boolean asserted);
    }
}

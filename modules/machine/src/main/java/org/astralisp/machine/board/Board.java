package org.astralisp.machine.board;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.cpu.VirtualCpu;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.PropEncodedArray;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;

/**
 * A platform's board: where RAM and each device sit in the guest-physical
 * address space, which interrupt line each device drives, and the device tree
 * that tells the OS so (devicetree spec v0.4 chapters 2 and 3, Linux DT
 * bindings). Modelled on QEMU's {@code virt}-style boards; docs/machine.md
 * shows the three side by side.
 *
 * <p>Common to all boards: one RAM range from {@link #ramBase()}; under
 * {@code /soc} (a {@code simple-bus}) the interrupt controllers, one 16550A
 * UART, one goldfish RTC, {@value #VIRTIO_MMIO_SLOTS} virtio-mmio slots and a
 * PCIe host bridge with ECAM config space, a 32-bit memory window and legacy
 * INTx. There is no port I/O on any board. The root and {@code /soc} use two
 * address cells and two size cells, so every address and size is a 64-bit
 * {@code <u64>}.
 *
 * <p>Invariants: no two ranges of a board overlap; each device range is
 * aligned to the platform's page size, so mapping one device's page maps no
 * other device; RAM may grow from {@link #ramBase()} up to {@link #ramLimit()}
 * without meeting a device.
 */
public abstract sealed class Board permits X86Board, RiscvBoard, PowerBoard {

    public static final int VIRTIO_MMIO_SLOTS = 8;
    /** PCI INTA..INTD. */
    public static final int PCI_INTX_PINS = 4;
    /** The PCI devices whose INTx the interrupt-map spells out; others repeat them (mask 0x1800). */
    private static final int PCI_MAPPED_DEVICES = 4;
    private static final int PCI_SPACE_MEMORY_32 = 0x0200_0000;

    private final DeviceMap devices;

    Board(DeviceMap devices) {
        this.devices = devices;
    }

    /** The trigger a device's interrupt line uses, as its interrupt specifier encodes it. */
    protected enum Trigger {
        /** Level-sensitive, active high: the 16550, the RTC, virtio-mmio. */
        LEVEL_HIGH,
        /** Level-sensitive, active low: PCI INTx# (PCI Local Bus 3.0 §2.2.6). */
        LEVEL_LOW
    }

    /** The guest-physical address of RAM's first byte. */
    public abstract long ramBase();

    /** The first address RAM may not reach: where the board's devices begin. */
    public abstract long ramLimit();

    /** The MMU's base page size. */
    public abstract int pageSize();

    public abstract int maximumCpus();

    /** What the architecture calls its system registers: {@code MSR}, {@code CSR}, {@code SPR}. */
    public abstract String systemRegisterKind();

    /** The interrupt controller, for {@code machine}: {@code I/O APIC + local APIC}. */
    public abstract String interruptController();

    /** The timer the OS programs, for {@code machine}: {@code local APIC timer}. */
    public abstract String timer();

    /** The frequency of the timer's time base, as {@code /cpus/timebase-frequency} gives it. */
    public abstract long timebaseFrequency();

    public final PhysicalRange uart() {
        return devices.uart();
    }

    public final PhysicalRange rtc() {
        return devices.rtc();
    }

    /** Virtio-mmio slot {@code slot}, {@code 0 <= slot < 8}. */
    public final PhysicalRange virtioMmio(int slot) {
        return devices.virtioMmio(slot);
    }

    /** The PCIe ECAM config space: 1 MiB per bus, buses 0 to 255. */
    public final PhysicalRange pcieEcam() {
        return devices.pcieEcam();
    }

    /** The CPU-side range of the PCIe 32-bit memory window. */
    public final PhysicalRange pcieMemory32() {
        return devices.pcieMemory32();
    }

    /** The PCI bus address of the window's first byte (below 4 GiB). */
    public final long pcieMemory32BusAddress() {
        return devices.pcieMemory32BusAddress();
    }

    public final int uartInterrupt() {
        return devices.uartInterrupt();
    }

    public final int rtcInterrupt() {
        return devices.rtcInterrupt();
    }

    public final int virtioMmioInterrupt(int slot) {
        return devices.virtioMmioInterrupt(slot);
    }

    /** The interrupt line of PCI INTx pin {@code pin} (0 = INTA) after the host bridge's swizzle. */
    public final int pciInterrupt(int pin) {
        return devices.pciInterrupt(pin);
    }

    /**
     * The platform's interrupt controllers and timers for {@code cpus} (ids
     * 0..n-1 in order), keeping their deadlines on {@code timers}
     * (docs/interrupts.md, "Wiring"). Their register blocks sit where this
     * board's device tree says.
     */
    public abstract InterruptPlatform interruptHardware(List<VirtualCpu> cpus, TimerScheduler timers);

    /** The root's {@code compatible}. */
    protected abstract String compatible();

    /** The root's {@code model}. */
    protected abstract String model();

    /** The 16550's input clock, {@code clock-frequency}. */
    public abstract int uartClock();

    /**
     * The level-high line of device interrupt {@code line} (as
     * {@link #uartInterrupt()} and {@link #rtcInterrupt()} number them) on
     * {@code platform}, which {@link #interruptHardware} of this board made.
     * Each line can be taken once.
     */
    public abstract IrqLine deviceInterruptLine(InterruptPlatform platform, int line);

    /** Adds the architecture's properties and children to {@code cpu@id}. */
    protected abstract void describeCpu(DeviceTreeNode cpu, int id, Phandles phandles);

    /**
     * Adds the interrupt controller nodes under {@code soc} and returns the
     * phandle of the one device interrupts go to.
     */
    protected abstract int describeInterruptControllers(DeviceTreeNode soc, int cpus, Phandles phandles);

    /** The interrupt specifier of {@code line} in the device interrupt controller's binding. */
    protected abstract int[] interruptSpecifier(int line, Trigger trigger);

    /**
     * The device tree of a machine with {@code cpus} CPUs, {@code memory} bytes
     * of RAM and {@code bootArguments} in {@code /chosen}.
     */
    public final DeviceTreeNode deviceTree(int cpus, long memory, String bootArguments) {
        Phandles phandles = new Phandles();
        DeviceTreeNode root = DeviceTreeNode.root()
                .cells("#address-cells", 2)
                .cells("#size-cells", 2)
                .string("compatible", compatible())
                .string("model", model());
        root.addChild("chosen")
                .string("bootargs", bootArguments)
                .string("stdout-path", "/soc/" + unitName("serial", uart()));
        root.addChild(unitName("memory", ramBase()))
                .string("device_type", "memory")
                .cells("reg", reg(new PhysicalRange(ramBase(), memory)));
        DeviceTreeNode cpusNode = root.addChild("cpus")
                .cells("#address-cells", 1)
                .cells("#size-cells", 0)
                .cells("timebase-frequency", Math.toIntExact(timebaseFrequency()));
        for (int id = 0; id < cpus; id++) {
            DeviceTreeNode cpu = cpusNode.addChild("cpu@" + Integer.toHexString(id))
                    .string("device_type", "cpu")
                    .cells("reg", id);
            describeCpu(cpu, id, phandles);
        }
        DeviceTreeNode soc = root.addChild("soc")
                .cells("#address-cells", 2)
                .cells("#size-cells", 2)
                .string("compatible", "simple-bus")
                .flag("ranges");
        int interruptParent = describeInterruptControllers(soc, cpus, phandles);
        describeUart(soc, interruptParent);
        describeRtc(soc, interruptParent);
        for (int slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
            describeVirtioMmio(soc, slot, interruptParent);
        }
        describePcieHost(soc, interruptParent);
        return root;
    }

    /** 16550A: Linux binding serial/8250.yaml; registers one byte apart ({@code reg-shift} 0). */
    private void describeUart(DeviceTreeNode soc, int interruptParent) {
        soc.addChild(unitName("serial", uart()))
                .string("compatible", "ns16550a")
                .cells("reg", reg(uart()))
                .cells("clock-frequency", uartClock())
                .cells("reg-shift", 0)
                .cells("interrupt-parent", interruptParent)
                .cells("interrupts", interruptSpecifier(uartInterrupt(), Trigger.LEVEL_HIGH));
    }

    /** Goldfish RTC: Linux binding rtc/google,goldfish-rtc.txt. */
    private void describeRtc(DeviceTreeNode soc, int interruptParent) {
        soc.addChild(unitName("rtc", rtc()))
                .string("compatible", "google,goldfish-rtc")
                .cells("reg", reg(rtc()))
                .cells("interrupt-parent", interruptParent)
                .cells("interrupts", interruptSpecifier(rtcInterrupt(), Trigger.LEVEL_HIGH));
    }

    /** Virtio over MMIO (virtio 1.2 §4.2): Linux binding virtio/mmio.yaml. */
    private void describeVirtioMmio(DeviceTreeNode soc, int slot, int interruptParent) {
        soc.addChild(unitName("virtio_mmio", virtioMmio(slot)))
                .string("compatible", "virtio,mmio")
                .cells("reg", reg(virtioMmio(slot)))
                .cells("interrupt-parent", interruptParent)
                .cells("interrupts", interruptSpecifier(virtioMmioInterrupt(slot), Trigger.LEVEL_HIGH));
    }

    /**
     * The PCIe host bridge: Linux bindings pci/host-generic-pci.yaml and
     * pci/pci.txt (IEEE 1275 PCI bus binding). Child addresses are three
     * cells ({@code phys.hi phys.mid phys.lo}); {@code ranges} maps the 32-bit
     * memory space ({@code phys.hi} space code 0b10); {@code interrupt-map}
     * gives INTA..INTD of devices 0..3 with the standard swizzle, line
     * {@code (device + pin) mod 4}, and {@code interrupt-map-mask} keeps only
     * the device number's two low bits and the pin, so devices 4 and up repeat
     * the pattern.
     */
    private void describePcieHost(DeviceTreeNode soc, int interruptParent) {
        PropEncodedArray ranges = new PropEncodedArray()
                .u32(PCI_SPACE_MEMORY_32)
                .u64(pcieMemory32BusAddress())
                .u64(pcieMemory32().base(), pcieMemory32().size());
        PropEncodedArray interruptMap = new PropEncodedArray();
        for (int device = 0; device < PCI_MAPPED_DEVICES; device++) {
            for (int pin = 0; pin < PCI_INTX_PINS; pin++) {
                interruptMap.u32(device << 11, 0, 0, pin + 1, interruptParent)
                        .u32(interruptSpecifier(pciInterrupt((device + pin) % PCI_INTX_PINS), Trigger.LEVEL_LOW));
            }
        }
        int lastBus = (int) (pcieEcam().size() >>> 20) - 1;
        soc.addChild(unitName("pci", pcieEcam()))
                .string("compatible", "pci-host-ecam-generic")
                .string("device_type", "pci")
                .cells("reg", reg(pcieEcam()))
                .cells("bus-range", 0, lastBus)
                .cells("#address-cells", 3)
                .cells("#size-cells", 2)
                .cells("#interrupt-cells", 1)
                .cells("ranges", ranges)
                .cells("interrupt-map-mask", 0x1800, 0, 0, 7)
                .cells("interrupt-map", interruptMap)
                .flag("dma-coherent");
    }

    /** The four cells of a {@code reg} entry under two address cells and two size cells. */
    protected static PropEncodedArray reg(PhysicalRange range) {
        return new PropEncodedArray().u64(range.base(), range.size());
    }

    /** {@code serial@10000000}: the node name, then the unit address in hex (spec §2.2.1). */
    protected static String unitName(String name, PhysicalRange range) {
        return unitName(name, range.base());
    }

    protected static String unitName(String name, long address) {
        return name + "@" + Long.toHexString(address);
    }

    /**
     * The phandles of one device tree (spec §2.3.3: unique, non-zero),
     * numbered 1, 2, 3… in the order nodes are labelled, and found again by
     * label, as a dts source refers to {@code &cpu0_intc}.
     */
    protected static final class Phandles {
        private final Map<String, Integer> labels = new HashMap<>();

        /** A new phandle for the node labelled {@code label}. */
        int assign(String label) {
            int phandle = labels.size() + 1;
            if (labels.putIfAbsent(label, phandle) != null) {
                throw new IllegalStateException("label " + label + " is assigned already");
            }
            return phandle;
        }

        /** The phandle assigned to {@code label}. */
        int of(String label) {
            Integer phandle = labels.get(label);
            if (phandle == null) {
                throw new IllegalStateException("no node is labelled " + label);
            }
            return phandle;
        }
    }
}

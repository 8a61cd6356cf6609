package org.astralisp.machine.board;

import java.util.List;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.cpu.VirtualCpu;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.irq.x86.ApicPlatform;

/**
 * The x86_64 board, laid out as a PC below 4 GiB (QEMU {@code q35}): RAM from
 * 0, the PCIe ECAM ("MMCONFIG") at 0xB000_0000, the 32-bit PCI hole from 3 GiB,
 * and the APICs at their architectural addresses.
 *
 * <pre>
 *   0x0000_0000  RAM                    at most 2.75 GiB, up to the ECAM
 *   0xB000_0000  PCIe ECAM            256 MiB  buses 0..255
 *   0xC000_0000  PCIe 32-bit memory   992 MiB  bus address = CPU address
 *   0xFE00_0000  UART 16550A          256 B
 *   0xFE00_1000  virtio-mmio 0..7       4 KiB each, 4 KiB apart
 *   0xFE00_9000  goldfish RTC           4 KiB
 *   0xFEC0_0000  I/O APIC              32 B    IOREGSEL, IOWIN; 24 pins
 *   0xFEE0_0000  local APIC             4 KiB  each CPU sees its own
 * </pre>
 *
 * This machine has no port I/O: its UART is a memory-mapped 16550A
 * ({@code ns16550a}, registers one byte apart, {@code reg-shift} 0) instead of
 * COM1 at port 0x3F8, and there is no legacy PIC, PIT or CMOS RTC. The device
 * tree follows the Intel CE4100 binding for the APICs
 * (interrupt-controller/intel,ce4100-ioapic.txt: two interrupt cells, the pin
 * and its sense, 1 = level low, 2 = level high). I/O APIC pins: the UART on 4
 * and the RTC on 8, as COM1 and the RTC on a PC; virtio-mmio slots 0..7 on the
 * free ISA pins 5, 6, 7, 9, 10, 11, 12, 13; PCI INTA..INTD on 16..19, as the
 * PIRQ lines of a PC chipset. The APIC timer counts a 1 GHz bus clock (before
 * its divider), given as {@code timebase-frequency}.
 */
public final class X86Board extends Board {

    public static final long RAM_LIMIT = 0xB000_0000L;
    public static final PhysicalRange PCIE_ECAM = new PhysicalRange(0xB000_0000L, 0x1000_0000);
    public static final PhysicalRange PCIE_MEMORY_32 = new PhysicalRange(0xC000_0000L, 0x3E00_0000);
    public static final PhysicalRange UART = new PhysicalRange(0xFE00_0000L, 0x100);
    public static final long VIRTIO_MMIO_BASE = 0xFE00_1000L;
    public static final long VIRTIO_MMIO_STRIDE = 0x1000;
    public static final PhysicalRange RTC = new PhysicalRange(0xFE00_9000L, 0x1000);
    public static final PhysicalRange IO_APIC = new PhysicalRange(0xFEC0_0000L, 0x20);
    public static final PhysicalRange LOCAL_APIC = new PhysicalRange(0xFEE0_0000L, 0x1000);
    public static final int UART_INTERRUPT = 4;
    public static final int RTC_INTERRUPT = 8;
    private static final int[] VIRTIO_MMIO_INTERRUPTS = {5, 6, 7, 9, 10, 11, 12, 13};
    public static final int PCI_FIRST_INTERRUPT = 16;
    public static final long APIC_BUS_FREQUENCY = 1_000_000_000L;

    /** intel,ce4100-ioapic sense cell. */
    private static final int SENSE_LEVEL_LOW = 1;
    private static final int SENSE_LEVEL_HIGH = 2;

    public X86Board() {
        super(new DeviceMap(UART, UART_INTERRUPT, RTC, RTC_INTERRUPT, VIRTIO_MMIO_BASE, VIRTIO_MMIO_STRIDE,
                VIRTIO_MMIO_STRIDE, VIRTIO_MMIO_INTERRUPTS, PCIE_ECAM, PCIE_MEMORY_32, PCIE_MEMORY_32.base(),
                PCI_FIRST_INTERRUPT));
    }

    @Override
    public long ramBase() {
        return 0;
    }

    @Override
    public long ramLimit() {
        return RAM_LIMIT;
    }

    @Override
    public int pageSize() {
        return 4096;
    }

    /** xAPIC IDs are 8 bits and 0xFF is the broadcast ID (Intel SDM Vol. 3A §11.6.1). */
    @Override
    public int maximumCpus() {
        return 255;
    }

    @Override
    public String systemRegisterKind() {
        return "MSR";
    }

    @Override
    public String interruptController() {
        return "I/O APIC + local APIC";
    }

    @Override
    public String timer() {
        return "local APIC timer";
    }

    @Override
    public long timebaseFrequency() {
        return APIC_BUS_FREQUENCY;
    }

    /** The local APIC page routes each access to the APIC of the vCPU making it. */
    @Override
    public InterruptPlatform interruptHardware(List<VirtualCpu> cpus, TimerScheduler timers) {
        return new ApicPlatform(cpus, timers, VirtualCpu::currentId);
    }

    /** An I/O APIC pin; the OS programs its trigger mode (level) in the redirection entry. */
    @Override
    public IrqLine deviceInterruptLine(InterruptPlatform platform, int line) {
        if (!(platform instanceof ApicPlatform apic)) {
            throw new IllegalArgumentException(platform + " is not this board's ApicPlatform");
        }
        return apic.line(line);
    }

    @Override
    protected String compatible() {
        return "astralisp,x86-64-virt";
    }

    @Override
    protected String model() {
        return "AstraLisp x86_64 virtual machine";
    }

    @Override
    public int uartClock() {
        return 1_843_200;
    }

    /** {@code reg} is the local APIC ID. */
    @Override
    protected void describeCpu(DeviceTreeNode cpu, int id, Phandles phandles) {
        cpu.string("compatible", "intel,x86-64");
    }

    @Override
    protected int describeInterruptControllers(DeviceTreeNode soc, int cpus, Phandles phandles) {
        int ioApic = phandles.assign("ioapic");
        soc.addChild(unitName("interrupt-controller", IO_APIC))
                .string("compatible", "intel,ce4100-ioapic")
                .cells("reg", reg(IO_APIC))
                .cells("#address-cells", 0)
                .cells("#interrupt-cells", 2)
                .flag("interrupt-controller")
                .cells("phandle", ioApic);
        soc.addChild(unitName("interrupt-controller", LOCAL_APIC))
                .string("compatible", "intel,ce4100-lapic")
                .cells("reg", reg(LOCAL_APIC))
                .cells("#address-cells", 0)
                .cells("#interrupt-cells", 2)
                .flag("interrupt-controller")
                .cells("phandle", phandles.assign("lapic"));
        return ioApic;
    }

    @Override
    protected int[] interruptSpecifier(int line, Trigger trigger) {
        return new int[] {line, trigger == Trigger.LEVEL_HIGH ? SENSE_LEVEL_HIGH : SENSE_LEVEL_LOW};
    }
}

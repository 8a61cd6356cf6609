package org.astralisp.machine.board;

import java.util.List;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.cpu.VirtualCpu;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.irq.ppc.PowerPlatform;

/**
 * The ppc64 board: RAM from 0, as on every Power system, and the devices in
 * the chip's MMIO space at 0x0006_0000_0000_0000 (POWER9 chip 0's MMIO base,
 * as QEMU {@code powernv9} places it), each on its own 64 KiB page because the
 * base page size is 64 KiB.
 *
 * <pre>
 *   0x0000_0000_0000_0000  RAM                    up to the MMIO space
 *   0x0006_0000_0000_0000  XIVE-like controller  16 MiB reserved; the registers decode
 *                                                  64 KiB + 4 KiB per CPU
 *   0x0006_0000_0100_0000  UART 16550A          256 B
 *   0x0006_0000_0101_0000  virtio-mmio 0..7       4 KiB each, 64 KiB apart
 *   0x0006_0000_0109_0000  goldfish RTC           4 KiB
 *   0x0006_0000_1000_0000  PCIe ECAM            256 MiB  buses 0..255
 *   0x0006_0000_8000_0000  PCIe 32-bit memory     2 GiB  bus addresses 0x8000_0000..0xFFFF_FFFF
 * </pre>
 *
 * The 32-bit PCI window is translated, as on a POWER PHB: bus address
 * 0x8000_0000 is CPU address 0x0006_0000_8000_0000 ({@code ranges}). The
 * interrupt controller is this machine's own XIVE-like design, compatible
 * {@code astralisp,xive}: two interrupt cells, the source number and its
 * trigger in the Linux {@code IRQ_TYPE_*} encoding
 * (dt-bindings/interrupt-controller/irq.h: 4 = level high, 8 = level low).
 * Sources: virtio-mmio 1..8, UART 10, RTC 11, PCI INTA..INTD 32..35, the same
 * numbers as the riscv64 board. Each {@code cpu} node gives its interrupt
 * server number ({@code ibm,ppc-interrupt-server#s}, PAPR), the XIVE target
 * of that thread. The time base (and so the decrementer) runs at 512 MHz, as
 * on POWER9.
 */
public final class PowerBoard extends Board {

    public static final long MMIO_BASE = 0x0006_0000_0000_0000L;
    /** The XIVE's window, reserved for its largest configuration. */
    public static final PhysicalRange XIVE = new PhysicalRange(MMIO_BASE, 0x100_0000);
    /** The controller's global and source registers, then one 4 KiB thread context per server (CPU). */
    private static final long XIVE_SERVER_BASE = 0x1_0000;
    private static final long XIVE_SERVER_STRIDE = 0x1000;
    public static final PhysicalRange UART = new PhysicalRange(MMIO_BASE + 0x0100_0000L, 0x100);
    public static final long VIRTIO_MMIO_BASE = MMIO_BASE + 0x0101_0000L;
    public static final long VIRTIO_MMIO_STRIDE = 0x1_0000;
    public static final long VIRTIO_MMIO_SIZE = 0x1000;
    public static final PhysicalRange RTC = new PhysicalRange(MMIO_BASE + 0x0109_0000L, 0x1000);
    public static final PhysicalRange PCIE_ECAM = new PhysicalRange(MMIO_BASE + 0x1000_0000L, 0x1000_0000);
    public static final PhysicalRange PCIE_MEMORY_32 = new PhysicalRange(MMIO_BASE + 0x8000_0000L, 0x8000_0000L);
    public static final long PCIE_MEMORY_32_BUS_ADDRESS = 0x8000_0000L;
    public static final int UART_INTERRUPT = 10;
    public static final int RTC_INTERRUPT = 11;
    public static final int VIRTIO_MMIO_FIRST_INTERRUPT = 1;
    public static final int PCI_FIRST_INTERRUPT = 32;
    public static final long TIMEBASE_FREQUENCY = 512_000_000L;

    /** Linux IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW. */
    private static final int LEVEL_HIGH = 4;
    private static final int LEVEL_LOW = 8;

    public PowerBoard() {
        super(new DeviceMap(UART, UART_INTERRUPT, RTC, RTC_INTERRUPT, VIRTIO_MMIO_BASE, VIRTIO_MMIO_STRIDE,
                VIRTIO_MMIO_SIZE, DeviceMap.consecutiveLines(VIRTIO_MMIO_FIRST_INTERRUPT), PCIE_ECAM, PCIE_MEMORY_32,
                PCIE_MEMORY_32_BUS_ADDRESS, PCI_FIRST_INTERRUPT));
    }

    @Override
    public long ramBase() {
        return 0;
    }

    @Override
    public long ramLimit() {
        return MMIO_BASE;
    }

    @Override
    public int pageSize() {
        return 65536;
    }

    @Override
    public int maximumCpus() {
        return 256;
    }

    @Override
    public String systemRegisterKind() {
        return "SPR";
    }

    @Override
    public String interruptController() {
        return "XIVE";
    }

    @Override
    public String timer() {
        return "decrementer";
    }

    @Override
    public long timebaseFrequency() {
        return TIMEBASE_FREQUENCY;
    }

    @Override
    public InterruptPlatform interruptHardware(List<VirtualCpu> cpus, TimerScheduler timers) {
        return new PowerPlatform(cpus, timers);
    }

    /** A level (XIVE LSI) source. */
    @Override
    public IrqLine deviceInterruptLine(InterruptPlatform platform, int line) {
        if (!(platform instanceof PowerPlatform power)) {
            throw new IllegalArgumentException(platform + " is not this board's PowerPlatform");
        }
        return power.line(line, TriggerMode.LEVEL);
    }

    @Override
    protected String compatible() {
        return "astralisp,ppc64-virt";
    }

    @Override
    protected String model() {
        return "AstraLisp ppc64 virtual machine";
    }

    @Override
    public int uartClock() {
        return 1_843_200;
    }

    @Override
    protected void describeCpu(DeviceTreeNode cpu, int id, Phandles phandles) {
        cpu.string("compatible", "ibm,power9")
                .cells("ibm,ppc-interrupt-server#s", id);
    }

    @Override
    protected int describeInterruptControllers(DeviceTreeNode soc, int cpus, Phandles phandles) {
        int xive = phandles.assign("xive");
        soc.addChild(unitName("interrupt-controller", XIVE))
                .string("compatible", "astralisp,xive")
                .cells("reg", reg(xiveRegisters(cpus)))
                .cells("#address-cells", 0)
                .cells("#interrupt-cells", 2)
                .flag("interrupt-controller")
                .cells("phandle", xive);
        return xive;
    }

    /** The XIVE registers a machine of {@code cpus} CPUs decodes, its {@code reg}. */
    public static PhysicalRange xiveRegisters(int cpus) {
        return new PhysicalRange(XIVE.base(), XIVE_SERVER_BASE + XIVE_SERVER_STRIDE * cpus);
    }

    @Override
    protected int[] interruptSpecifier(int line, Trigger trigger) {
        return new int[] {line, trigger == Trigger.LEVEL_HIGH ? LEVEL_HIGH : LEVEL_LOW};
    }
}

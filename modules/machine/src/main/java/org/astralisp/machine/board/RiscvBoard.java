package org.astralisp.machine.board;

import java.util.List;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.cpu.VirtualCpu;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.PropEncodedArray;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.irq.riscv.RiscvPlatform;

/**
 * The riscv64 board, laid out as QEMU's {@code virt} machine
 * ({@code hw/riscv/virt.c}): the same addresses and the same PLIC sources for
 * the UART (10), the RTC (11), virtio-mmio (1 to 8) and PCIe INTA..INTD (32 to
 * 35).
 *
 * <pre>
 *   0x0010_1000  goldfish RTC         4 KiB
 *   0x0200_0000  CLINT               64 KiB   msip, mtimecmp, mtime
 *   0x0C00_0000  PLIC                64 MiB   reserved, the PLIC spec's full map; the
 *                                             registers decode 2 MiB + 4 KiB per context
 *   0x1000_0000  UART 16550A        256 B
 *   0x1000_1000  virtio-mmio 0..7     4 KiB each, 4 KiB apart
 *   0x3000_0000  PCIe ECAM          256 MiB  buses 0..255
 *   0x4000_0000  PCIe 32-bit memory   1 GiB  bus address = CPU address
 *   0x8000_0000  RAM                          up to the 56-bit physical limit
 * </pre>
 *
 * Each hart has a local interrupt controller ({@code riscv,cpu-intc}, Linux
 * binding interrupt-controller/riscv,cpu-intc.yaml) whose inputs are
 * {@code mip} bits: the PLIC drives 11 (machine external) and 9 (supervisor
 * external) of each hart, so hart N owns PLIC contexts 2N and 2N+1 (binding
 * sifive,plic-1.0.0.yaml); the CLINT drives 3 (machine software) and 7
 * (machine timer) (binding timer/sifive,clint.yaml). The time base is 10 MHz,
 * as on QEMU {@code virt}.
 */
public final class RiscvBoard extends Board {

    public static final long RAM_BASE = 0x8000_0000L;
    /** RISC-V physical addresses are at most 56 bits (privileged spec, Sv39/Sv48 PTE PPN). */
    public static final long RAM_LIMIT = 1L << 56;
    public static final PhysicalRange RTC = new PhysicalRange(0x0010_1000L, 0x1000);
    public static final PhysicalRange CLINT = new PhysicalRange(0x0200_0000L, 0x1_0000);
    /** The PLIC's window: the PLIC specification's whole 64 MiB map, so no device ever sits where it may grow. */
    public static final PhysicalRange PLIC = new PhysicalRange(0x0C00_0000L, 0x400_0000);
    /** PLIC spec 1.0.0 §3: context {@code c}'s threshold and claim/complete registers at {@code 0x200000 + 0x1000 c}. */
    private static final long PLIC_CONTEXT_BASE = 0x20_0000;
    private static final long PLIC_CONTEXT_STRIDE = 0x1000;
    private static final int PLIC_CONTEXTS_PER_HART = 2;
    public static final PhysicalRange UART = new PhysicalRange(0x1000_0000L, 0x100);
    public static final long VIRTIO_MMIO_BASE = 0x1000_1000L;
    public static final long VIRTIO_MMIO_STRIDE = 0x1000;
    public static final PhysicalRange PCIE_ECAM = new PhysicalRange(0x3000_0000L, 0x1000_0000);
    public static final PhysicalRange PCIE_MEMORY_32 = new PhysicalRange(0x4000_0000L, 0x4000_0000);
    /** PLIC sources 1..95 exist ({@code riscv,ndev}); source 0 means "none". */
    public static final int PLIC_SOURCES = 95;
    public static final int UART_INTERRUPT = 10;
    public static final int RTC_INTERRUPT = 11;
    public static final int VIRTIO_MMIO_FIRST_INTERRUPT = 1;
    public static final int PCI_FIRST_INTERRUPT = 32;
    public static final long TIMEBASE_FREQUENCY = 10_000_000L;

    /** {@code mip} bit numbers (privileged spec §3.1.9). */
    private static final int MACHINE_SOFTWARE = 3;
    private static final int MACHINE_TIMER = 7;
    private static final int SUPERVISOR_EXTERNAL = 9;
    private static final int MACHINE_EXTERNAL = 11;

    public RiscvBoard() {
        super(new DeviceMap(UART, UART_INTERRUPT, RTC, RTC_INTERRUPT, VIRTIO_MMIO_BASE, VIRTIO_MMIO_STRIDE,
                VIRTIO_MMIO_STRIDE, DeviceMap.consecutiveLines(VIRTIO_MMIO_FIRST_INTERRUPT), PCIE_ECAM, PCIE_MEMORY_32,
                PCIE_MEMORY_32.base(), PCI_FIRST_INTERRUPT));
    }

    @Override
    public long ramBase() {
        return RAM_BASE;
    }

    @Override
    public long ramLimit() {
        return RAM_LIMIT;
    }

    @Override
    public int pageSize() {
        return 4096;
    }

    @Override
    public int maximumCpus() {
        return 256;
    }

    @Override
    public String systemRegisterKind() {
        return "CSR";
    }

    @Override
    public String interruptController() {
        return "PLIC + CLINT";
    }

    @Override
    public String timer() {
        return "CLINT mtime/mtimecmp";
    }

    @Override
    public long timebaseFrequency() {
        return TIMEBASE_FREQUENCY;
    }

    @Override
    public InterruptPlatform interruptHardware(List<VirtualCpu> cpus, TimerScheduler timers) {
        return new RiscvPlatform(cpus, timers, PLIC_SOURCES);
    }

    /** A level (PLIC gateway) source. */
    @Override
    public IrqLine deviceInterruptLine(InterruptPlatform platform, int line) {
        if (!(platform instanceof RiscvPlatform riscv)) {
            throw new IllegalArgumentException(platform + " is not this board's RiscvPlatform");
        }
        return riscv.line(line, TriggerMode.LEVEL);
    }

    @Override
    protected String compatible() {
        return "astralisp,riscv64-virt";
    }

    @Override
    protected String model() {
        return "AstraLisp riscv64 virtual machine";
    }

    @Override
    public int uartClock() {
        return 3_686_400;
    }

    @Override
    protected void describeCpu(DeviceTreeNode cpu, int id, Phandles phandles) {
        cpu.string("compatible", "riscv")
                .string("riscv,isa", "rv64imafdc")
                .string("mmu-type", "riscv,sv48");
        cpu.addChild("interrupt-controller")
                .string("compatible", "riscv,cpu-intc")
                .cells("#address-cells", 0)
                .cells("#interrupt-cells", 1)
                .flag("interrupt-controller")
                .cells("phandle", phandles.assign(hartController(id)));
    }

    @Override
    protected int describeInterruptControllers(DeviceTreeNode soc, int cpus, Phandles phandles) {
        PropEncodedArray clintInputs = new PropEncodedArray();
        PropEncodedArray plicContexts = new PropEncodedArray();
        for (int hart = 0; hart < cpus; hart++) {
            int controller = phandles.of(hartController(hart));
            clintInputs.u32(controller, MACHINE_SOFTWARE, controller, MACHINE_TIMER);
            plicContexts.u32(controller, MACHINE_EXTERNAL, controller, SUPERVISOR_EXTERNAL);
        }
        soc.addChild(unitName("clint", CLINT))
                .string("compatible", "sifive,clint0", "riscv,clint0")
                .cells("reg", reg(CLINT))
                .cells("interrupts-extended", clintInputs);
        int plic = phandles.assign("plic");
        soc.addChild(unitName("interrupt-controller", PLIC))
                .string("compatible", "sifive,plic-1.0.0", "riscv,plic0")
                .cells("reg", reg(plicRegisters(cpus)))
                .cells("#address-cells", 0)
                .cells("#interrupt-cells", 1)
                .flag("interrupt-controller")
                .cells("interrupts-extended", plicContexts)
                .cells("riscv,ndev", PLIC_SOURCES)
                .cells("phandle", plic);
        return plic;
    }

    /**
     * The PLIC registers a machine of {@code harts} harts decodes, its
     * {@code reg}: up to the last context's page, as QEMU's
     * {@code VIRT_PLIC_SIZE}.
     */
    public static PhysicalRange plicRegisters(int harts) {
        return new PhysicalRange(PLIC.base(),
                PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * PLIC_CONTEXTS_PER_HART * (long) harts);
    }

    private static String hartController(int hart) {
        return "cpu" + hart + "_intc";
    }

    /** A PLIC interrupt specifier is the source number alone: the PLIC has no trigger configuration. */
    @Override
    protected int[] interruptSpecifier(int line, Trigger trigger) {
        return new int[] {line};
    }
}

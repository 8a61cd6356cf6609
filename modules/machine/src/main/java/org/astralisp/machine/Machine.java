package org.astralisp.machine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.machine.board.Board;
import org.astralisp.machine.board.PowerBoard;
import org.astralisp.machine.board.RiscvBoard;
import org.astralisp.machine.board.X86Board;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.cpu.VirtualCpu;
import org.astralisp.machine.device.pci.EduDevice;
import org.astralisp.machine.device.pci.HostBridge;
import org.astralisp.machine.device.pci.PcieRootComplex;
import org.astralisp.machine.device.rtc.GoldfishRtc;
import org.astralisp.machine.device.uart.Uart16550;
import org.astralisp.machine.device.virtio.EntropyDevice;
import org.astralisp.machine.device.virtio.VirtioMmioTransport;
import org.astralisp.machine.device.virtio.VirtioWorker;
import org.astralisp.machine.devicetree.DeviceTreeBlob;
import org.astralisp.machine.irq.InterruptPlatform;
import org.astralisp.machine.irq.MmioPlacement;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.memory.GuestRam;
import org.astralisp.machine.memory.HostMemoryException;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.MmioSpace;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * One virtual machine: guest RAM, the system bus, the vCPUs, the interrupt
 * controllers and timers, and the firmware's device tree, laid out by the
 * board of the configured architecture. The loader creates it from the
 * command line, registers its ports ({@link #memory()}, {@link #mmio()},
 * {@link #cpus()}, {@link #firmware()}) as OSGi services, and closes it on
 * shutdown.
 *
 * <p>Life cycle: {@link #create} builds the vCPUs (threads made, not started)
 * and the platform's interrupt hardware, attaches the controllers' register
 * blocks to the bus and gives every vCPU its interrupt sources and system
 * registers, writes the device tree, maps RAM (committed lazily by the host)
 * and last attaches the virtio transports, which reach RAM by DMA. The OS
 * starts each vCPU through {@link Cpu#start}. {@link #close()} powers every
 * vCPU off, waits for each to reach a safepoint and end, stops the timers and
 * the virtio worker, then makes RAM inaccessible on every thread and unmaps
 * it; it closes the console back end. Nothing is left mapped or running if
 * {@link #create} fails.
 */
public final class Machine implements AutoCloseable {

    /** How long {@link #close()} waits for a vCPU to reach a safepoint. */
    static final Duration POWER_OFF_TIMEOUT = Duration.ofSeconds(2);

    private final MachineConfig config;
    private final Board board;
    private final GuestRam ram;
    private final SystemBus bus;
    private final List<VirtualCpu> cpus;
    private final TimerScheduler timers;
    private final DeviceTreeBlob firmware;
    private final VirtioWorker virtio;
    private final PcieRootComplex pcie;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Machine(MachineConfig config, Board board, SystemBus bus, List<VirtualCpu> cpus, TimerScheduler timers,
            DeviceTreeBlob firmware, GuestRam ram, VirtioWorker virtio, PcieRootComplex pcie) {
        this.config = config;
        this.board = board;
        this.bus = bus;
        this.cpus = cpus;
        this.timers = timers;
        this.firmware = firmware;
        this.ram = ram;
        this.virtio = virtio;
        this.pcie = pcie;
    }

    /**
     * Builds the machine {@code config} describes.
     *
     * @throws MachineException naming the value and the limit if the platform
     *         cannot have that many CPUs or that much RAM, RAM is not a whole
     *         number of pages, or the host cannot give the memory
     */
    public static Machine create(MachineConfig config) {
        Board board = switch (config.architecture()) {
            case X86_64 -> new X86Board();
            case RISCV64 -> new RiscvBoard();
            case PPC64 -> new PowerBoard();
        };
        checkFits(config, board);
        PhysicalRange ramRange = new PhysicalRange(board.ramBase(), config.memoryBytes());
        SystemBus bus = new SystemBus(ramRange);
        List<VirtualCpu> cpus = new ArrayList<>();
        for (int id = 0; id < config.cpus(); id++) {
            cpus.add(new VirtualCpu(id, board.systemRegisterKind()));
        }
        TimerScheduler timers = new TimerScheduler();
        try {
            InterruptPlatform interrupts = board.interruptHardware(List.copyOf(cpus), timers);
            for (MmioPlacement placement : interrupts.mmio()) {
                bus.attach(placement.base(), placement.device());
            }
            attachDevices(board, interrupts, bus, timers, config);
            for (VirtualCpu cpu : cpus) {
                interrupts.interruptSources(cpu.id()).forEach(cpu::addInterruptSource);
                interrupts.systemRegisters(cpu.id()).forEach(cpu::registerSystemRegister);
            }
            DeviceTreeBlob firmware = new DeviceTreeBlob(
                    board.deviceTree(config.cpus(), config.memoryBytes(), config.bootArguments()), 0);
            // Last but the devices that DMA into it (virtio, PCI); the vCPU threads are not started yet.
            GuestRam ram = GuestRam.map(ramRange);
            VirtioWorker virtio = null;
            try {
                virtio = attachVirtio(board, interrupts, bus, ram);
                PcieRootComplex pcie = attachPci(board, interrupts, bus, ram);
                return new Machine(config, board, bus, List.copyOf(cpus), timers, firmware, ram, virtio, pcie);
            } catch (RuntimeException e) {
                if (virtio != null) {
                    virtio.close(POWER_OFF_TIMEOUT);
                }
                ram.close();
                throw e;
            }
        } catch (RuntimeException e) {
            timers.close();
            config.console().close();
            throw e instanceof HostMemoryException refused
                    ? new MachineException("memory " + size(config.memoryBytes()) + ": " + refused.getMessage())
                    : e;
        }
    }

    /**
     * The console UART ({@code uart0}) on the configured back end and the RTC
     * ({@code rtc0}) on the host's wall clock, at their board ranges and
     * interrupt lines (docs/machine.md, "Devices: UART and RTC").
     */
    private static void attachDevices(Board board, InterruptPlatform interrupts, SystemBus bus, TimerScheduler timers,
            MachineConfig config) {
        bus.attach(board.uart().base(), Uart16550.create("uart0", board.uartClock(), config.console(),
                board.deviceInterruptLine(interrupts, board.uartInterrupt()), timers));
        bus.attach(board.rtc().base(), new GoldfishRtc("rtc0", Clock.systemUTC(),
                board.deviceInterruptLine(interrupts, board.rtcInterrupt()), timers));
    }

    /**
     * A virtio-mmio transport in each of the board's slots (docs/virtio.md):
     * the entropy device in slot 0, empty slots (device ID 0) in the others,
     * on level-high lines from {@link Board#deviceInterruptLine}, all served
     * by one worker thread that {@link #close()} stops. After RAM is mapped,
     * because the devices reach it by DMA; it starts no thread (the worker's
     * starts at the first notification).
     */
    private static VirtioWorker attachVirtio(Board board, InterruptPlatform interrupts, SystemBus bus, GuestRam ram) {
        VirtioWorker worker = new VirtioWorker("virtio-worker");
        for (int slot = 0; slot < Board.VIRTIO_MMIO_SLOTS; slot++) {
            String name = "virtio-mmio" + slot;
            IrqLine line = board.deviceInterruptLine(interrupts, board.virtioMmioInterrupt(slot));
            bus.attach(board.virtioMmio(slot).base(), slot == 0
                    ? new VirtioMmioTransport(name, new EntropyDevice(SecureRandom::new), ram, line, worker)
                    : VirtioMmioTransport.emptySlot(name, ram, line, worker));
        }
        return worker;
    }

    /**
     * The PCIe root complex at the board's ECAM and 32-bit memory window, its
     * INTx on the board's four PCI lines, with 00:00.0 the host bridge and
     * 00:01.0 QEMU's edu device (docs/pci.md). After RAM, because the edu
     * device does DMA into it (the caller unmaps RAM again if it fails).
     */
    private static PcieRootComplex attachPci(Board board, InterruptPlatform interrupts, SystemBus bus, GuestRam ram) {
        List<IrqLine> intx = new ArrayList<>();
        for (int pin = 0; pin < Board.PCI_INTX_PINS; pin++) {
            intx.add(board.deviceInterruptLine(interrupts, board.pciInterrupt(pin)));
        }
        PcieRootComplex pcie = new PcieRootComplex(bus, board.pcieEcam(), board.pcieMemory32(),
                board.pcieMemory32BusAddress(), intx);
        pcie.plug(0, new HostBridge());
        pcie.plug(1, new EduDevice("edu0", ram));
        return pcie;
    }

    private static void checkFits(MachineConfig config, Board board) {
        String arch = config.architecture().toString();
        if (config.cpus() > board.maximumCpus()) {
            throw new MachineException(config.cpus() + " CPUs: the " + arch + " machine has at most "
                    + board.maximumCpus());
        }
        long memory = config.memoryBytes();
        if (memory % board.pageSize() != 0) {
            throw new MachineException("memory " + size(memory) + ": not a whole number of " + arch + " pages ("
                    + board.pageSize() + " bytes)");
        }
        if (memory > board.ramLimit() - board.ramBase()) {
            throw new MachineException("memory " + size(memory) + ": the " + arch + " machine's RAM starts at 0x"
                    + Long.toHexString(board.ramBase()) + " and must end by 0x" + Long.toHexString(board.ramLimit())
                    + ", where its devices begin (at most " + size(board.ramLimit() - board.ramBase()) + ")");
        }
    }

    /** {@code 512M}, {@code 2816M}, {@code 3G}, {@code 100000}: the shortest exact form, as {@code --memory} takes it. */
    private static String size(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }

    /** Guest RAM: the {@code PhysicalMemory} port. */
    public PhysicalMemory memory() {
        return ram;
    }

    /** The system bus: the {@code MmioSpace} port. */
    public MmioSpace mmio() {
        return bus;
    }

    /** The vCPUs in id order ({@code reg} of {@code /cpus/cpu@N}): one {@code Cpu} port each. */
    public List<Cpu> cpus() {
        return List.copyOf(cpus);
    }

    /** The device tree: the {@code Firmware} port. */
    public Firmware firmware() {
        return firmware;
    }

    /**
     * The guest-physical address of the console UART's registers (the node
     * {@code /chosen/stdout-path} names; {@code reg-shift} 0), for the loader's
     * polled firmware console when no kernel tty drives it.
     */
    public long consoleUart() {
        return board.uart().base();
    }

    public MachineDescription description() {
        return new MachineDescription(config.architecture(), config.cpus(), config.memoryBytes(), board.ramBase(),
                board.pageSize(), board.interruptController(), board.timer(), board.timebaseFrequency());
    }

    /**
     * Powers the machine off: every vCPU unwinds at its next safepoint; then
     * the timers and the virtio worker stop, and RAM becomes inaccessible and
     * is unmapped. Idempotent.
     *
     * @throws IllegalStateException naming the vCPUs that did not reach a
     *         safepoint within {@link #POWER_OFF_TIMEOUT} (RAM is unmapped
     *         anyway: their next access to it throws)
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        cpus.forEach(VirtualCpu::powerOff);
        List<String> running = new ArrayList<>();
        for (VirtualCpu cpu : cpus) {
            if (!awaitPowerOff(cpu)) {
                running.add(cpu.toString());
            }
        }
        pcie.close();
        timers.close();
        virtio.close(POWER_OFF_TIMEOUT);
        config.console().close();
        ram.close();
        if (!running.isEmpty()) {
            throw new IllegalStateException(String.join(", ", running) + " did not stop within "
                    + POWER_OFF_TIMEOUT.toSeconds() + " s of power-off: the code on it reached no safepoint"
                    + " (waitForInterrupt or pollInterrupts)");
        }
    }

    private static boolean awaitPowerOff(VirtualCpu cpu) {
        try {
            return cpu.awaitPowerOff(POWER_OFF_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

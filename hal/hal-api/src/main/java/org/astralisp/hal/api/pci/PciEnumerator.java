package org.astralisp.hal.api.pci;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.InterruptSpecifier;
import org.astralisp.machine.port.MmioSpace;

/**
 * Enumerates and configures the PCI functions under the machine's generic ECAM
 * host bridge (docs/pci.md, "The enumerator"), as firmware or an OS does on a
 * platform with no PCI BIOS:
 *
 * <ol>
 * <li><b>Find</b> the first {@code pci-host-ecam-generic} node; map its ECAM
 *     ({@code reg}) for the buses of {@code bus-range}.</li>
 * <li><b>Scan</b> every bus of the range, all 32 devices: a function is there
 *     unless its Vendor ID reads 0xFFFF (PCI Local Bus 3.0 §6.2.1); functions
 *     1..7 only when function 0's Header Type has bit 7 (multi-function).</li>
 * <li><b>Size</b> the memory BARs of each type 0 function with Memory and I/O
 *     decoding off (§6.2.5.1, implementation note: decoding a half-written
 *     BAR could claim someone else's addresses): write all ones, read the mask,
 *     restore; a 64-bit BAR's upper dword likewise. I/O BARs are skipped: no
 *     board has I/O space.</li>
 * <li><b>Assign</b> every BAR from the 32-bit memory window of {@code ranges},
 *     largest first with natural alignment, which packs power-of-two blocks
 *     without holes. When they do not all fit, the function asking for the
 *     most space in all keeps Memory Space off, its BARs unassigned, and the
 *     reason; the rest is assigned again, until everything left fits.</li>
 * <li><b>Enable</b>: program the BARs (bus addresses), then set Memory Space
 *     and Bus Master and clear Interrupt Disable.</li>
 * <li><b>Route</b> each INTx pin through {@code interrupt-map} and
 *     {@code interrupt-map-mask} to the interrupt controller's specifier.</li>
 * </ol>
 *
 * <p>Whatever state a function was left in (a BAR at a random address, decoding
 * on, interrupts disabled), enumeration configures it afresh; bridges (header
 * type 1) are listed but not configured, so buses behind them are not found
 * unless the bus range scan reaches them.
 */
public final class PciEnumerator {

    private static final int BAR_SLOTS = 6;

    private PciEnumerator() {
    }

    /** A function's BAR as sized, before assignment. */
    private record SizedBar(PciAddress function, int index, long size, boolean is64, boolean prefetchable) {
    }

    /** A function as scanned. */
    private record Scanned(PciAddress address, int ids, int classRevision, int headerType, int subsystem, int pin,
            int command, List<SizedBar> bars) {
    }

    /**
     * Enumerates the host bridge of {@code tree}, reaching it through {@code mmio};
     * a machine without one has an empty bus.
     *
     * @throws PciNodeException if the host bridge's node is malformed (reg, bus-range, ranges, interrupt-map)
     */
    public static PciBus enumerate(DeviceTree tree, MmioSpace mmio) throws PciNodeException {
        Optional<PciHostNode> found = PciHostNode.find(tree);
        if (found.isEmpty()) {
            return new EnumeratedBus(List.of());
        }
        PciHostNode host = found.get();
        EcamAccess ecam = new EcamAccess(mmio.map(host.ecamBase(), (long) host.buses() << 20), host.firstBus());
        List<Scanned> functions = scan(host, ecam);
        Map<PciAddress, String> problems = new HashMap<>();
        Map<SizedBar, Long> placed = assign(host, functions, problems);
        List<PciDevice> devices = new ArrayList<>();
        for (Scanned function : functions) {
            devices.add(configure(host, ecam, function, placed, problems));
        }
        return new EnumeratedBus(devices);
    }

    private static List<Scanned> scan(PciHostNode host, EcamAccess ecam) {
        List<Scanned> functions = new ArrayList<>();
        for (int bus = host.firstBus(); bus <= host.lastBus(); bus++) {
            for (int device = 0; device < 32; device++) {
                PciAddress first = new PciAddress(bus, device, 0);
                if (ecam.read16(first, EcamAccess.VENDOR) == 0xFFFF) {
                    continue;
                }
                int count = (ecam.read8(first, EcamAccess.HEADER_TYPE) & 0x80) != 0 ? 8 : 1;
                for (int function = 0; function < count; function++) {
                    PciAddress address = new PciAddress(bus, device, function);
                    if (ecam.read16(address, EcamAccess.VENDOR) != 0xFFFF) {
                        functions.add(read(ecam, address));
                    }
                }
            }
        }
        return functions;
    }

    private static Scanned read(EcamAccess ecam, PciAddress address) {
        int headerType = ecam.read8(address, EcamAccess.HEADER_TYPE);
        int command = ecam.read16(address, EcamAccess.COMMAND);
        List<SizedBar> bars = (headerType & 0x7F) == 0 ? size(ecam, address, command) : List.of();
        return new Scanned(address, ecam.read32(address, EcamAccess.VENDOR),
                ecam.read32(address, EcamAccess.CLASS_REVISION), headerType,
                ecam.read32(address, EcamAccess.SUBSYSTEM), ecam.read8(address, EcamAccess.INTERRUPT_PIN), command,
                bars);
    }

    /** §6.2.5.1 sizing, with decoding off for the whole of it. */
    private static List<SizedBar> size(EcamAccess ecam, PciAddress address, int command) {
        ecam.write16(address, EcamAccess.COMMAND, command & ~(EcamAccess.COMMAND_IO | EcamAccess.COMMAND_MEMORY));
        List<SizedBar> bars = new ArrayList<>();
        for (int slot = 0; slot < BAR_SLOTS; slot++) {
            int register = EcamAccess.BAR0 + 4 * slot;
            int original = ecam.read32(address, register);
            if ((original & 1) != 0) {
                continue;
            }
            boolean is64 = (original >>> 1 & 0b11) == 0b10 && slot < BAR_SLOTS - 1;
            // An unimplemented BAR reads back 0 (§6.2.5.1): no size, nothing to assign.
            long mask = probe(ecam, address, register, original) & 0xFFFF_FFF0L;
            if (is64) {
                int high = ecam.read32(address, register + 4);
                mask |= probe(ecam, address, register + 4, high) << 32;
            } else if (mask != 0) {
                mask |= 0xFFFF_FFFF_0000_0000L;
            }
            long size = Long.lowestOneBit(mask);
            if (mask != 0) {
                bars.add(new SizedBar(address, slot, size, is64, (original & 0b1000) != 0));
            }
            if (is64) {
                slot++;
            }
        }
        return bars;
    }

    /** Writes all ones to a BAR dword, reads the mask back, restores the original; the mask as unsigned. */
    private static long probe(EcamAccess ecam, PciAddress address, int register, int original) {
        ecam.write32(address, register, 0xFFFF_FFFF);
        long mask = ecam.read32(address, register) & 0xFFFF_FFFFL;
        ecam.write32(address, register, original);
        return mask;
    }

    /**
     * Largest first, naturally aligned, from the window's bus base. If a BAR
     * does not fit, the function asking for the most space in all is left out
     * (its BARs give their space back) and the rest assigned again; each pass
     * leaves one function out, so this ends.
     */
    private static Map<SizedBar, Long> assign(PciHostNode host, List<Scanned> functions,
            Map<PciAddress, String> problems) {
        List<SizedBar> bars = new ArrayList<>();
        Map<PciAddress, Long> demand = new HashMap<>();
        for (Scanned function : functions) {
            bars.addAll(function.bars());
            demand.put(function.address(), function.bars().stream().mapToLong(SizedBar::size).sum());
        }
        bars.sort(Comparator.comparingLong(SizedBar::size).reversed()
                .thenComparing(SizedBar::function).thenComparingInt(SizedBar::index));
        long end = host.windowBus() + host.windowSize();
        Set<PciAddress> left = new HashSet<>();
        while (true) {
            Optional<Map<SizedBar, Long>> placed = place(host.windowBus(), end, bars, left);
            if (placed.isPresent()) {
                return placed.get();
            }
            PciAddress greediest = bars.stream().map(SizedBar::function).filter(f -> !left.contains(f)).distinct()
                    .max(Comparator.comparingLong((PciAddress f) -> demand.get(f))
                            .thenComparing(Comparator.reverseOrder()))
                    .orElseThrow();
            left.add(greediest);
            problems.put(greediest, String.format("its BARs (%s in all) do not fit in the 32-bit memory window "
                    + "[0x%x, 0x%x) beside the other functions: memory decoding left off",
                    PciBar.sizeText(demand.get(greediest)), host.windowBus(), end));
        }
    }

    /** One pass over {@code bars} (sorted largest first) without the functions {@code left}; empty if one does not fit. */
    private static Optional<Map<SizedBar, Long>> place(long start, long end, List<SizedBar> bars,
            Set<PciAddress> left) {
        Map<SizedBar, Long> placed = new HashMap<>();
        long cursor = start;
        for (SizedBar bar : bars) {
            if (left.contains(bar.function())) {
                continue;
            }
            long base = cursor + bar.size() - 1 & -bar.size();
            if (base < cursor || base > end - bar.size()) {
                return Optional.empty();
            }
            placed.put(bar, base);
            cursor = base + bar.size();
        }
        return Optional.of(placed);
    }

    /** Programs one function (or leaves it off) and describes it. */
    private static PciDevice configure(PciHostNode host, EcamAccess ecam, Scanned function,
            Map<SizedBar, Long> placed, Map<PciAddress, String> problems) throws PciNodeException {
        PciAddress address = function.address();
        Optional<String> problem = Optional.ofNullable(problems.get(address));
        if ((function.headerType() & 0x7F) != 0) {
            problem = Optional.of("header type " + (function.headerType() & 0x7F)
                    + ": not an endpoint, so not configured (no bridge support)");
        }
        List<PciBar> bars = new ArrayList<>();
        boolean enable = problem.isEmpty() && !function.bars().isEmpty();
        for (SizedBar bar : function.bars()) {
            if (!enable) {
                bars.add(PciBar.unassigned(bar.index(), bar.size(), bar.is64(), bar.prefetchable()));
                continue;
            }
            long bus = placed.get(bar);
            int register = EcamAccess.BAR0 + 4 * bar.index();
            ecam.write32(address, register, (int) bus);
            if (bar.is64()) {
                ecam.write32(address, register + 4, (int) (bus >>> 32));
            }
            bars.add(PciBar.unassigned(bar.index(), bar.size(), bar.is64(), bar.prefetchable())
                    .assignedAt(bus, host.toCpu(bus)));
        }
        int pin = function.pin();
        Optional<InterruptSpecifier> interrupt = pin >= 1 && pin <= 4
                ? Optional.of(host.route(address, pin)) : Optional.empty();
        int command = function.command() & ~(EcamAccess.COMMAND_IO | EcamAccess.COMMAND_MEMORY
                | EcamAccess.COMMAND_BUS_MASTER);
        if (enable) {
            command |= EcamAccess.COMMAND_MEMORY | EcamAccess.COMMAND_BUS_MASTER;
        }
        if (interrupt.isPresent()) {
            command &= ~EcamAccess.COMMAND_INTERRUPT_DISABLE;
        }
        ecam.write16(address, EcamAccess.COMMAND, command);
        return new PciDevice(address, function.ids() & 0xFFFF, function.ids() >>> 16,
                function.classRevision() & 0xFF, function.classRevision() >>> 8, function.headerType() & 0x7F,
                (function.headerType() & 0x80) != 0, function.subsystem() & 0xFFFF, function.subsystem() >>> 16,
                pin >= 1 && pin <= 4 ? pin : 0, interrupt, bars, enable, problem);
    }

    private record EnumeratedBus(List<PciDevice> devices) implements PciBus {
        private EnumeratedBus {
            devices = List.copyOf(devices);
        }
    }
}

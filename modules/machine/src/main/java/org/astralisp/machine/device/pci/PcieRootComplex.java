package org.astralisp.machine.device.pci;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.port.IrqLine;

/**
 * The PCI Express root complex of a board's {@code pci-host-ecam-generic}
 * node: the ECAM configuration space, bus 0 with its functions, the 32-bit
 * memory window in which their BARs decode, and the four INTx lines.
 *
 * <p>Address translation (the node's {@code ranges}): bus address
 * {@code windowBusAddress + o} is CPU address {@code window.base() + o} for
 * {@code 0 <= o < window.size()}. A BAR decodes only while its function's
 * Memory Space Enable is set and the whole block lies in the window (a real
 * bridge forwards nothing else downstream); when two enabled BARs overlap, the
 * one of the lower function (then the lower BAR) decodes and the other does
 * not, until one of them moves — the PCI specification leaves overlapping BARs
 * undefined, this model picks one and stays consistent.
 *
 * <p>Decoding is recomputed as a whole after every BAR or Command write that
 * may change it ({@link #decodingChanged}), under this object's lock: decoders
 * that no longer match are removed from the system bus before new ones are
 * added, and a BAR that did not move keeps its decoder, so windows a driver
 * mapped stay valid. Lock order: this root complex, then a function (only to
 * read its requests); functions call in without holding their own lock.
 */
public final class PcieRootComplex implements AutoCloseable, PciFunction.FunctionHost {

    private final PhysicalRange window;
    private final long windowBusAddress;
    private final SystemBus.Aperture aperture;
    private final PcieEcam ecam;
    private final IntxLines intx;
    private final List<PciFunction> functions = new ArrayList<>();
    private final Map<BarKey, Placement> placements = new HashMap<>();

    private record BarKey(PciFunction function, int slot) {
    }

    private record Placement(long cpuAddress, SystemBus.Decoder decoder) {
    }

    /**
     * Attaches the ECAM at {@code ecam} and reserves {@code window} (bus
     * address {@code windowBusAddress}) on {@code bus}; {@code intx.get(i)} is
     * the controller input of swizzled line i (INTA..INTD).
     */
    public PcieRootComplex(SystemBus bus, PhysicalRange ecam, PhysicalRange window, long windowBusAddress,
            List<IrqLine> intx) {
        this.window = Objects.requireNonNull(window, "window");
        this.windowBusAddress = windowBusAddress;
        this.intx = new IntxLines(intx);
        this.ecam = new PcieEcam(ecam.size());
        bus.attach(ecam.base(), this.ecam);
        this.aperture = bus.reserveAperture(window, "pcie-memory32");
    }

    /**
     * Plugs {@code device}'s functions (function 0 first, at most 8) into slot
     * {@code device} of bus 0; more than one makes it multi-function.
     */
    public synchronized void plug(int device, PciFunction... deviceFunctions) {
        Objects.checkIndex(device, PcieEcam.DEVICES);
        if (deviceFunctions.length == 0 || deviceFunctions.length > PcieEcam.FUNCTIONS) {
            throw new IllegalArgumentException(deviceFunctions.length + " functions: a device has 1 to 8");
        }
        for (int number = 0; number < deviceFunctions.length; number++) {
            deviceFunctions[number].plug(this, device, deviceFunctions.length > 1);
            ecam.place(device, number, deviceFunctions[number]);
            functions.add(deviceFunctions[number]);
        }
    }

    /** The CPU address of bus address {@code busAddress} for {@code size} bytes, or -1 outside the window. */
    long toCpu(long busAddress, long size) {
        long offset = busAddress - windowBusAddress;
        return busAddress >= windowBusAddress && offset <= window.size() - size ? window.base() + offset : -1;
    }

    @Override
    public synchronized void decodingChanged() {
        Map<BarKey, Long> wanted = new HashMap<>();
        List<PhysicalRange> taken = new ArrayList<>();
        List<PciFunction.BarWindow> requests = new ArrayList<>();
        for (PciFunction function : functions) {
            requests.addAll(function.decodeRequests());
        }
        for (PciFunction.BarWindow request : requests) {
            long cpu = toCpu(request.busAddress(), request.size());
            if (cpu < 0) {
                continue;
            }
            PhysicalRange range = new PhysicalRange(cpu, request.size());
            if (taken.stream().noneMatch(range::overlaps)) {
                taken.add(range);
                wanted.put(new BarKey(request.function(), request.slot()), cpu);
            }
        }
        placements.entrySet().removeIf(entry -> {
            Long cpu = wanted.get(entry.getKey());
            boolean stale = cpu == null || cpu != entry.getValue().cpuAddress();
            if (stale) {
                entry.getValue().decoder().remove();
            }
            return stale;
        });
        wanted.forEach((key, cpu) -> placements.computeIfAbsent(key, k -> {
            MmioDevice registers = k.function().barRegisters(k.slot());
            return new Placement(cpu, aperture.decode(cpu, registers));
        }));
    }

    @Override
    public void pinChanged(int line, boolean asserted) {
        if (asserted) {
            intx.assertLine(line);
        } else {
            intx.deassertLine(line);
        }
    }

    /** Whether swizzled INTx line {@code line} (0 = INTA) is asserted. */
    boolean lineAsserted(int line) {
        return intx.asserted(line);
    }

    /** The CPU addresses BARs decode at now, {@code function name/BAR slot -> address} (for tests). */
    synchronized Map<String, Long> decodedBars() {
        Map<String, Long> decoded = new HashMap<>();
        placements.forEach((key, placement) -> decoded.put(key.function().name() + "/" + key.slot(),
                placement.cpuAddress()));
        return decoded;
    }

    /** Power-off: every function stops its work (the edu device its worker thread). */
    @Override
    public synchronized void close() {
        functions.forEach(PciFunction::powerOff);
    }
}

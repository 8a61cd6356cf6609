package org.astralisp.hal.api.pci;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.astralisp.hal.api.devicetree.InterruptSpecifier;

/**
 * One PCI function as the enumerator left it (PCI Local Bus 3.0 §6.2.1 for
 * the identification fields).
 *
 * @param classCode    24 bits: base class, subclass, programming interface
 * @param headerType   the header layout, bits 6:0 (0 for an endpoint, 1 for a PCI-to-PCI bridge)
 * @param interruptPin 0 for none, 1..4 for INTA#..INTD#
 * @param interrupt    where the pin arrives: the interrupt controller and its specifier cells, or empty without a pin
 * @param bars         the memory BARs in slot order
 * @param memoryEnabled whether the enumerator turned on Memory Space (and Bus Master): every BAR assigned
 * @param problem      why memory decoding was left off, or empty
 */
public record PciDevice(PciAddress address, int vendorId, int deviceId, int revision, int classCode,
        int headerType, boolean multiFunction, int subsystemVendorId, int subsystemId, int interruptPin,
        Optional<InterruptSpecifier> interrupt, List<PciBar> bars, boolean memoryEnabled, Optional<String> problem) {

    public PciDevice {
        bars = List.copyOf(bars);
    }

    /** The base class and subclass, {@code 0x00ff}, as lspci prints them in brackets. */
    public int baseAndSubclass() {
        return classCode >>> 8;
    }

    /** The interrupt controller line the INTx pin arrives on (the specifier's first cell), or empty. */
    public OptionalInt interruptLine() {
        return interrupt.map(specifier -> OptionalInt.of(specifier.cells().getFirst())).orElse(OptionalInt.empty());
    }

    /** The BAR of slot {@code index}, if the function has one there. */
    public Optional<PciBar> bar(int index) {
        return bars.stream().filter(bar -> bar.index() == index).findFirst();
    }
}

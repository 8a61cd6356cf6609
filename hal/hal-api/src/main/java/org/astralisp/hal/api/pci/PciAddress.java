package org.astralisp.hal.api.pci;

/**
 * A function's place in the hierarchy: bus 0..255, device 0..31, function 0..7
 * (PCI Local Bus 3.0 §3.2.2.3.2), written {@code 00:01.0} in hex as lspci
 * writes it.
 */
public record PciAddress(int bus, int device, int function) implements Comparable<PciAddress> {

    public PciAddress {
        if (bus < 0 || bus > 255 || device < 0 || device > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("not a PCI address: bus " + bus + ", device " + device
                    + ", function " + function + " (bus 0..255, device 0..31, function 0..7)");
        }
    }

    /**
     * Parses {@code bb:dd.f} (hex bus and device, one function digit), as
     * {@link #toString()} writes it.
     *
     * @throws IllegalArgumentException naming the text if it is not of that form or out of range
     */
    public static PciAddress parse(String text) {
        if (!text.matches("[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a PCI address of the form bb:dd.f"
                    + " (hex bus and device, function 0..7)");
        }
        return new PciAddress(Integer.parseInt(text.substring(0, 2), 16), Integer.parseInt(text.substring(3, 5), 16),
                text.charAt(6) - '0');
    }

    /** The ECAM offset of the function's configuration space relative to bus 0 (PCIe Base §7.2.2). */
    public long ecamOffset() {
        return (long) bus << 20 | device << 15 | function << 12;
    }

    /**
     * The {@code phys.hi} cell of the function's unit address in the device
     * tree (IEEE 1275 PCI binding §2.2.1.1): {@code bus << 16 | device << 11 | function << 8}.
     */
    public int physHi() {
        return bus << 16 | device << 11 | function << 8;
    }

    @Override
    public int compareTo(PciAddress other) {
        return Integer.compare(physHi(), other.physHi());
    }

    /** {@code 00:01.0}. */
    @Override
    public String toString() {
        return String.format("%02x:%02x.%d", bus, device, function);
    }
}

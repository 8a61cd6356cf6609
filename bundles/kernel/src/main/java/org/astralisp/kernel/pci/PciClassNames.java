package org.astralisp.kernel.pci;

import java.util.Map;

/**
 * Names of PCI class codes as lspci prints them, from the PCI ID Repository's
 * class list ({@code pci.ids}, section C; the classes themselves are PCI Code
 * and ID Assignment Specification 1.11 §1): the subclass's name if the list
 * has one, else the base class's, else {@code Class}.
 */
final class PciClassNames {

    private static final Map<Integer, String> BASE = Map.ofEntries(
            Map.entry(0x00, "Unclassified device"),
            Map.entry(0x01, "Mass storage controller"),
            Map.entry(0x02, "Network controller"),
            Map.entry(0x03, "Display controller"),
            Map.entry(0x04, "Multimedia controller"),
            Map.entry(0x05, "Memory controller"),
            Map.entry(0x06, "Bridge"),
            Map.entry(0x07, "Communication controller"),
            Map.entry(0x08, "Generic system peripheral"),
            Map.entry(0x09, "Input device controller"),
            Map.entry(0x0a, "Docking station"),
            Map.entry(0x0b, "Processor"),
            Map.entry(0x0c, "Serial bus controller"),
            Map.entry(0x0d, "Wireless controller"),
            Map.entry(0x0e, "Intelligent controller"),
            Map.entry(0x0f, "Satellite communications controller"),
            Map.entry(0x10, "Encryption controller"),
            Map.entry(0x11, "Signal processing controller"),
            Map.entry(0x12, "Processing accelerators"),
            Map.entry(0x13, "Non-Essential Instrumentation"),
            Map.entry(0x40, "Coprocessor"),
            Map.entry(0xff, "Unassigned class"));

    private static final Map<Integer, String> SUBCLASS = Map.ofEntries(
            Map.entry(0x0000, "Non-VGA unclassified device"),
            Map.entry(0x0001, "VGA compatible unclassified device"),
            Map.entry(0x0100, "SCSI storage controller"),
            Map.entry(0x0101, "IDE interface"),
            Map.entry(0x0106, "SATA controller"),
            Map.entry(0x0108, "Non-Volatile memory controller"),
            Map.entry(0x0200, "Ethernet controller"),
            Map.entry(0x0300, "VGA compatible controller"),
            Map.entry(0x0403, "Audio device"),
            Map.entry(0x0500, "RAM memory"),
            Map.entry(0x0600, "Host bridge"),
            Map.entry(0x0601, "ISA bridge"),
            Map.entry(0x0604, "PCI bridge"),
            Map.entry(0x0700, "Serial controller"),
            Map.entry(0x0880, "System peripheral"),
            Map.entry(0x0c03, "USB controller"),
            Map.entry(0x0c05, "SMBus"));

    private PciClassNames() {
    }

    /** The name for base class and subclass {@code baseAndSubclass} ({@code 0x0600}: Host bridge). */
    static String name(int baseAndSubclass) {
        String subclass = SUBCLASS.get(baseAndSubclass);
        return subclass != null ? subclass : BASE.getOrDefault(baseAndSubclass >>> 8, "Class");
    }
}

package org.astralisp.hal.api.pci;

/**
 * The host bridge's device tree node does not describe a usable PCI host
 * (Linux binding pci/host-generic-pci.yaml with the IEEE 1275 PCI bus binding):
 * a missing or malformed {@code reg}, {@code bus-range}, {@code ranges} or
 * {@code interrupt-map}. The message is {@code /node/path: property: what is wrong}.
 */
public final class PciNodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String nodePath;
    private final String property;

    PciNodeException(String nodePath, String property, String problem, Throwable cause) {
        super(nodePath + ": " + property + ": " + problem, cause);
        this.nodePath = nodePath;
        this.property = property;
    }

    PciNodeException(String nodePath, String property, String problem) {
        this(nodePath, property, problem, null);
    }

    public String nodePath() {
        return nodePath;
    }

    public String property() {
        return property;
    }
}

package org.astralisp.hal.api.devicetree;

/**
 * One {@code (address, length)} pair of a {@code reg} property (devicetree
 * specification v0.4 §2.3.6), in the address space of the node's parent bus.
 *
 * @param address the bus address, {@code #address-cells} of the parent wide
 * @param size    the length in bytes, unsigned; 0 when the parent's {@code #size-cells} is 0
 */
public record RegEntry(BusAddress address, long size) {

    @Override
    public String toString() {
        return size == 0 ? address.toString() : address + "+0x" + Long.toHexString(size);
    }
}

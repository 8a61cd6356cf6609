package org.astralisp.hal.api.devicetree;

/**
 * A range of CPU physical addresses: a {@code reg} entry after translation
 * through every {@code ranges} above it (devicetree specification v0.4
 * §2.3.8). Both values are unsigned; the range ends at or below 2<sup>64</sup>.
 *
 * @param address the first byte
 * @param size    the number of bytes
 */
public record AddressRange(long address, long size) {

    @Override
    public String toString() {
        return String.format("0x%x+0x%x", address, size);
    }
}

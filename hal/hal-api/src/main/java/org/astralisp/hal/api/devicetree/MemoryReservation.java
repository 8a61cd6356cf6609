package org.astralisp.hal.api.devicetree;

/**
 * One entry of the memory reservation block (devicetree specification v0.4
 * §5.3): physical memory the client must not use for general allocation.
 * Both values are unsigned 64-bit; the range ends at or below 2<sup>64</sup>.
 *
 * @param address the first reserved physical byte
 * @param size    the number of reserved bytes
 */
public record MemoryReservation(long address, long size) {

    @Override
    public String toString() {
        return String.format("0x%x+0x%x", address, size);
    }
}

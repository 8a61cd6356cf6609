package org.astralisp.hal.api.devicetree;

/**
 * One entry of a {@code ranges} property (devicetree specification v0.4
 * §2.3.8): {@code size} bytes at {@code childAddress} on the bus map to
 * {@code parentAddress} in the parent's address space.
 *
 * @param childAddress  {@code #address-cells} of the bus node wide
 * @param parentAddress {@code #address-cells} of the bus node's parent wide
 * @param size          unsigned, {@code #size-cells} of the bus node wide
 */
public record RangesEntry(BusAddress childAddress, BusAddress parentAddress, long size) {
}

package org.astralisp.hal.api.pci;

import java.util.List;
import java.util.Optional;

/**
 * The functions found under the host bridge, in address order. Immutable: a
 * snapshot of what the enumerator configured (the kernel registers it as a
 * service once, at boot).
 */
public interface PciBus {

    /** Every function found, ordered by {@link PciAddress}. */
    List<PciDevice> devices();

    /** The function at {@code address}, if there is one. */
    default Optional<PciDevice> device(PciAddress address) {
        return devices().stream().filter(device -> device.address().equals(address)).findFirst();
    }

    /** The functions with this vendor and device id. */
    default List<PciDevice> devices(int vendorId, int deviceId) {
        return devices().stream().filter(d -> d.vendorId() == vendorId && d.deviceId() == deviceId).toList();
    }
}

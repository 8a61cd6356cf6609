/**
 * PCI Express enumeration over the generic ECAM host bridge (devicetree
 * binding {@code pci-host-ecam-generic}; docs/pci.md).
 *
 * <p>{@link org.astralisp.hal.api.pci.PciEnumerator} finds the host bridge in
 * the {@link org.astralisp.hal.api.devicetree.DeviceTree}, maps its ECAM
 * through the machine's {@code MmioSpace}, scans the buses of its
 * {@code bus-range}, sizes and assigns every memory BAR from the 32-bit memory
 * window of {@code ranges}, enables the functions, and routes each INTx pin
 * through {@code interrupt-map} to an interrupt controller line. The result is
 * a {@link org.astralisp.hal.api.pci.PciBus}: one
 * {@link org.astralisp.hal.api.pci.PciDevice} per function, addressed by
 * {@link org.astralisp.hal.api.pci.PciAddress}. The kernel registers it as a
 * service; drivers bind to devices by vendor, device and class, map their BARs
 * at {@link org.astralisp.hal.api.pci.PciBar#cpuAddress()} and take their
 * interrupt on {@link org.astralisp.hal.api.pci.PciDevice#interruptLine()}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.pci;

/**
 * The device tree (devicetree specification v0.4): the parser for the
 * flattened format the firmware hands over ({@link org.astralisp.hal.api.devicetree.FlattenedDeviceTree},
 * §5) and the immutable model drivers bind to
 * ({@link org.astralisp.hal.api.devicetree.DeviceTree},
 * {@link org.astralisp.hal.api.devicetree.DeviceNode}): paths (§2.2), standard
 * properties (§2.3), interrupt mapping (§2.4) and address translation
 * (§2.3.8). A malformed blob is refused with
 * {@link org.astralisp.hal.api.devicetree.DeviceTreeFormatException}; a missing
 * or malformed property with
 * {@link org.astralisp.hal.api.devicetree.DevicePropertyException}. See
 * {@code docs/devicetree.md}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.devicetree;

/**
 * Helpers for the arch bundles' interrupt-controller drivers: what every
 * driver of the {@link org.astralisp.hal.api.irq.InterruptController} contract
 * keeps the same way, written once.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.hal.api.irq.spi;

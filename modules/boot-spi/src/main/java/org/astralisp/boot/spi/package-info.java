/**
 * The boot SPI, version 1.1.0: the hot-swap {@link org.astralisp.boot.spi.Handover}
 * contract, the {@link org.astralisp.boot.spi.HandoverRegistry} through which a new
 * component version claims its predecessor's state, a client-side
 * {@link org.astralisp.boot.spi.SwapSafeService} that rides across a swap, and
 * {@link org.astralisp.boot.spi.ConsoleCommand} for console commands contributed
 * by bundles, and the {@link org.astralisp.boot.spi.Terminal} the kernel's tty layer
 * offers the console. The version is exported to Felix as {@code version="1.1.0"}; keep it
 * in step with {@code SystemPackages} in the loader.
 */
package org.astralisp.boot.spi;

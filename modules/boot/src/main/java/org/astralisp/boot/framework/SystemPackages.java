package org.astralisp.boot.framework;

/**
 * The packages of the boot layer that the system bundle exports to bundles, with
 * the versions bundles import them at (STACK pitfall 5: without a version they
 * would be exported at 0.0.0).
 */
final class SystemPackages {

    /** The boot SPI's version, kept in step with its package-info. */
    static final String SPI_VERSION = "1.1.0";
    /** The machine port's version (the hardware boundary, ARCHITECTURE §1). */
    static final String PORT_VERSION = "1.0.0";
    /** SLF4J's API version in the boot layer. */
    static final String SLF4J_VERSION = "2.0.17";

    private SystemPackages() {
    }

    static String extra() {
        return String.join(",",
                "org.astralisp.boot.spi;version=\"" + SPI_VERSION + "\"",
                "org.astralisp.machine.port;version=\"" + PORT_VERSION + "\"",
                "org.slf4j;version=\"" + SLF4J_VERSION + "\"",
                "org.slf4j.event;version=\"" + SLF4J_VERSION + "\"",
                "org.slf4j.helpers;version=\"" + SLF4J_VERSION + "\"",
                "org.slf4j.spi;version=\"" + SLF4J_VERSION + "\"",
                // The kernel's scheduler runs threads as continuations (docs/kernel.md, "The scheduler and its
                // policies"); the JVM exports the package to unnamed modules (bin/astra), this to Felix's wiring.
                "jdk.internal.vm");
    }
}

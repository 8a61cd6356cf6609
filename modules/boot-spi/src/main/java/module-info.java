/**
 * The boot SPI: what the core loader promises to bundles and asks of them.
 * Exported into the OSGi framework through the system bundle
 * ({@code org.osgi.framework.system.packages.extra}), so the loader and every
 * bundle share one copy of these types.
 */
module org.astralisp.boot.spi {
    requires transitive org.apache.felix.framework;
    exports org.astralisp.boot.spi;
}

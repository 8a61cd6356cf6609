/**
 * The core loader: boots the OS. Reads the image's boot manifest, embeds Apache
 * Felix, installs and starts the bundles by start level, prints the boot
 * timeline, runs the boot monitor on the console, owns the kernel log and the
 * hot-swap coordinator.
 *
 * <p>The {@code requires} of JDK modules below are not all used by this module:
 * they keep the packages in the boot layer so that the system bundle can export
 * them to bundles (SCR needs javax.xml.parsers; STACK pitfall 4).
 */
module org.astralisp.boot {
    requires org.astralisp.boot.spi;
    requires org.astralisp.machine;
    requires org.apache.felix.framework;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires java.xml;
    requires java.management;
    requires java.logging;
    requires java.naming;
    requires jdk.unsupported;

    uses org.osgi.framework.launch.FrameworkFactory;

    provides ch.qos.logback.classic.spi.Configurator with org.astralisp.boot.log.KernelLogConfigurator;
}

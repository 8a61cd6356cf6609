/**
 * The hardware. Everything the OS may touch is in {@code org.astralisp.machine.port}
 * (exported into Felix by the system bundle); the rest is the machine's own.
 * The loader alone sees {@code org.astralisp.machine} and
 * {@code org.astralisp.machine.console}: it builds a
 * {@link org.astralisp.machine.Machine} from the command line and registers its
 * ports as OSGi services.
 *
 * <p>Guest RAM is an anonymous host mapping made through the FFM API
 * ({@code mmap}), a restricted operation: run with
 * {@code --enable-native-access=org.astralisp.machine}.
 */
// "module": the qualified export names the loader, which is built after this module.
@SuppressWarnings("module")
module org.astralisp.machine {
    // The host's physical memory size, container limits included, to refuse a guest the host cannot give.
    requires jdk.management;

    exports org.astralisp.machine.port;
    exports org.astralisp.machine to org.astralisp.boot;
    // The console back ends: the loader picks one for --console and feeds and reads a pipe console.
    exports org.astralisp.machine.console to org.astralisp.boot;
}

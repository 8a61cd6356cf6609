/**
 * The hardware. Everything the OS may touch is in {@code org.astralisp.machine.port}
 * (exported into Felix by the system bundle); the rest is the machine's own.
 */
module org.astralisp.machine {
    exports org.astralisp.machine.port;
}

package org.astralisp.boot;

import java.nio.file.Path;

/**
 * Where things are in a boot image (docs/boot.md): {@code bin/} the launcher,
 * {@code lib/} the boot modules and Felix, {@code bundles/} the OS, {@code conf/}
 * the boot manifest, {@code var/} what the system writes (logs, the framework
 * cache).
 */
public record ImageLayout(Path root) {

    public Path bootManifest() {
        return root.resolve("conf/boot.manifest");
    }

    public Path logDirectory() {
        return root.resolve("var/log");
    }

    public Path lock() {
        return root.resolve("var/run/astra.lock");
    }

    public Path frameworkCache() {
        return root.resolve("var/cache/felix");
    }
}

package org.astralisp.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Manifest;

/**
 * The OS version, from the boot module's jar manifest (Implementation-Version);
 * {@code dev} when running from classes, as in unit tests.
 */
final class Version {

    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in != null) {
                String version = new Manifest(in).getMainAttributes().getValue("Implementation-Version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            return "dev";
        }
        return "dev";
    }
}

package org.astralisp.it.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An image directory whose {@code bin/astra} is a shell script speaking the
 * console protocol, for the failure modes a real image cannot be made to show on
 * demand: dying during boot, never prompting, hanging in a command, exiting
 * uncleanly. The script answers {@code shutdown} with {@code shutting down} and
 * status 0 unless the test gives it other behaviour for a line.
 */
final class FakeImage {

    private FakeImage() {
    }

    /** A launcher that prints a banner, a ready line and the prompt, then runs {@code cases} (shell case arms). */
    static Path prompting(Path directory, String cases) throws IOException {
        return withLauncher(directory, """
                echo "AstraLisp OS fake"
                echo "ready in 1 ms"
                printf 'ok '
                while IFS= read -r line; do
                    case $line in
                %s
                        shutdown) echo "shutting down"; exit 0 ;;
                        *) echo "${line%%%% *}: unknown command (type help for the list)" ;;
                    esac
                    printf 'ok '
                done
                """.formatted(cases));
    }

    /** A launcher with {@code body} as its script. */
    static Path withLauncher(Path directory, String body) throws IOException {
        Path launcher = directory.resolve("bin/astra");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }

    /** A configuration for {@code image} with short timeouts, working in {@code work}. */
    static AstraContainerConfiguration configuration(Path image, Path work, int timeoutSeconds) {
        AstraContainerConfiguration configuration = new AstraContainerConfiguration();
        configuration.setImage(image.toString());
        configuration.setWorkDirectory(work.toString());
        configuration.setBootTimeoutSeconds(timeoutSeconds);
        configuration.setCommandTimeoutSeconds(timeoutSeconds);
        configuration.setShutdownTimeoutSeconds(timeoutSeconds);
        return configuration;
    }
}

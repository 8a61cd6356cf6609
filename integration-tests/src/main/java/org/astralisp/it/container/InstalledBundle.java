package org.astralisp.it.container;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle as the console names it after {@code install}:
 * {@code installed SYMBOLICNAME VERSION [ID]}.
 */
public record InstalledBundle(String symbolicName, String version, long id) {

    private static final Pattern INSTALLED = Pattern.compile("installed (\\S+) (\\S+) \\[(\\d+)]");

    /** Reads the reply to {@code install}; empty if the reply is not a successful install. */
    public static Optional<InstalledBundle> parse(String reply) {
        Matcher installed = INSTALLED.matcher(reply.strip());
        if (!installed.matches()) {
            return Optional.empty();
        }
        return Optional.of(new InstalledBundle(installed.group(1), installed.group(2),
                Long.parseLong(installed.group(3))));
    }

    /** As the console writes it: {@code org.x 1.0.0 [5]}. */
    @Override
    public String toString() {
        return symbolicName + " " + version + " [" + id + "]";
    }
}

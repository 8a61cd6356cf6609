package org.astralisp.it.container;

import java.nio.file.Path;

/**
 * The image directory the container booted (bin/, lib/, bundles/, conf/, var/).
 * Inject it with {@code @ArquillianResource AstraImage} to reach the image's own
 * files, such as the sample bundles, by the paths the running system sees.
 */
public record AstraImage(Path root) {

    /** A file of the image, by its path relative to the image root. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }
}

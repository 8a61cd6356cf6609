package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.AstraImage;
import org.astralisp.it.container.InstalledBundle;

/**
 * The image's sample counter (bundles/samples/ of the image), installed and
 * started through the console as a user would: its API bundle and version
 * 1.0.0 of the service.
 */
final class SampleCounter implements AutoCloseable {

    static final String NAME = "org.astralisp.sample.counter";

    private final AstraConsole console;
    private final AstraImage image;
    private final InstalledBundle api;
    private final InstalledBundle counter;

    private SampleCounter(AstraConsole console, AstraImage image) {
        this.console = console;
        this.image = image;
        this.api = installAndStart("bundles/samples/counter-api-1.0.0.jar");
        this.counter = installAndStart("bundles/samples/counter-1.0.0.jar");
    }

    static SampleCounter install(AstraConsole console, AstraImage image) {
        return new SampleCounter(console, image);
    }

    /** The counter service's bundle id. */
    long id() {
        return counter.id();
    }

    /** {@code update ID JAR} of the counter bundle; returns the console's answer. */
    String update(Path jar) {
        return console.run("update " + counter.id() + " " + AstraConsole.quote(jar.toString()));
    }

    /** A jar of the image, by its path in the image. */
    Path imageJar(String relative) {
        return image.resolve(relative);
    }

    private InstalledBundle installAndStart(String imageJar) {
        String reply = console.run("install " + AstraConsole.quote(image.resolve(imageJar).toString()));
        InstalledBundle bundle = InstalledBundle.parse(reply).orElseThrow(() -> new AssertionError(reply));
        assertEquals("started " + bundle, console.run("start " + bundle.id()));
        return bundle;
    }

    /** Uninstalls both bundles, so that the next test finds the system as booted. */
    @Override
    public void close() {
        console.run("uninstall " + counter.id());
        console.run("uninstall " + api.id());
    }
}

package org.astralisp.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A boot image laid out in a temporary directory for in-process boots: the real
 * SCR bundles and sample counter bundles (copied to target/test-bundles by the
 * build) and a boot manifest written by the test.
 */
public final class TestImage {

    public static final Path TEST_BUNDLES = Path.of("target/test-bundles").toAbsolutePath();
    public static final String SCR_MANIFEST = """
            level 1
            bundle bundles/org.osgi.util.function.jar
            bundle bundles/org.osgi.util.promise.jar
            bundle bundles/org.osgi.service.component.jar
            bundle bundles/org.apache.felix.scr.jar
            """;

    private final Path root;

    private TestImage(Path root) {
        this.root = root;
    }

    /** An image in {@code root} whose manifest is {@code manifest}; all test bundles are in bundles/. */
    public static TestImage create(Path root, String manifest) throws IOException {
        Files.createDirectories(root.resolve("conf"));
        Files.createDirectories(root.resolve("bundles"));
        try (var jars = Files.list(TEST_BUNDLES)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, root.resolve("bundles").resolve(jar.getFileName()));
            }
        }
        Files.writeString(root.resolve("conf/boot.manifest"), manifest);
        return new TestImage(root);
    }

    public Path root() {
        return root;
    }

    public Path bundle(String fileName) {
        return root.resolve("bundles").resolve(fileName);
    }

    public BootOptions options(String... flags) throws UsageException {
        List<String> args = new ArrayList<>(List.of(flags));
        args.add("--image");
        args.add(root.toString());
        return BootOptions.parse(args, null);
    }

    /** Boots this image in this JVM; the console output goes to {@code out}. */
    public BootedSystem boot(ByteArrayOutputStream out) throws Exception {
        return BootedSystem.boot(options(), Instant.now(), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    /**
     * Writes a jar with only a manifest: enough for the framework to install,
     * resolve (or fail to) and start it.
     */
    public static Path manifestOnlyBundle(Path jar, String symbolicName, String version, String... headers)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            main.putValue("Bundle-ManifestVersion", "2");
            main.putValue("Bundle-SymbolicName", symbolicName);
            main.putValue("Bundle-Version", version);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            main.putValue(headers[i], headers[i + 1]);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("test bundle".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}

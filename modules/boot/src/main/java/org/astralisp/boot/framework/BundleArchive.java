package org.astralisp.boot.framework;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A bundle jar read into memory and checked before it goes near the framework:
 * every entry decompresses with a good CRC, there is a manifest, and the manifest
 * names a bundle ({@code Bundle-SymbolicName}, OSGi Core R8 §3.2.1.13).
 *
 * @param location where it came from, used as the bundle location
 */
public record BundleArchive(String location, String symbolicName, String version, byte[] bytes) {

    /** The largest jar accepted. */
    public static final int MAX_BYTES = 256 << 20;
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    /** Reads {@code source}: a path, or a URL such as {@code file:/x.jar}. */
    public static BundleArchive load(String source) throws BundleArchiveException {
        if (looksLikeUrl(source)) {
            try (InputStream in = new URI(source).toURL().openStream()) {
                return parse(source, readBounded(source, in));
            } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                throw new BundleArchiveException(source + ": not a valid URL (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new BundleArchiveException(source + ": cannot read (" + e + ")");
            }
        }
        Path path = Path.of(source).toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(path)) {
            return parse(path.toUri().toString(), readBounded(source, in));
        } catch (NoSuchFileException e) {
            throw new BundleArchiveException(source + ": no such file");
        } catch (IOException e) {
            throw new BundleArchiveException(source + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static boolean looksLikeUrl(String source) {
        return source.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.+") && !source.matches("[a-zA-Z]:\\\\.*");
    }

    private static byte[] readBounded(String source, InputStream in) throws IOException, BundleArchiveException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new BundleArchiveException(source + ": larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        return bytes;
    }

    /** Checks {@code bytes} as a bundle jar from {@code location}. */
    public static BundleArchive parse(String location, byte[] bytes) throws BundleArchiveException {
        Manifest manifest = null;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries++;
                if (entry.getName().equals(MANIFEST)) {
                    manifest = new Manifest(zip);
                }
                zip.transferTo(OutputSink.INSTANCE);
            }
        } catch (ZipException e) {
            throw new BundleArchiveException(location + ": corrupt jar (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BundleArchiveException(location + ": corrupt jar (" + e + ")");
        }
        if (entries == 0) {
            throw new BundleArchiveException(location + ": not a jar (no zip entries)");
        }
        if (manifest == null) {
            throw new BundleArchiveException(location + ": not an OSGi bundle (no " + MANIFEST + ")");
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue("Bundle-SymbolicName");
        if (name == null || name.isBlank()) {
            throw new BundleArchiveException(location + ": not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
        }
        String symbolicName = name.split(";", 2)[0].strip();
        String version = main.getValue("Bundle-Version");
        return new BundleArchive(location, symbolicName, version == null ? "0.0.0" : version.strip(), bytes);
    }

    public InputStream open() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public String toString() {
        return symbolicName + " " + version;
    }

    /** Discards bytes; reading an entry to its end is what verifies its CRC. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
            // discarded: only the CRC check of the read matters
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discarded: only the CRC check of the read matters
        }
    }
}

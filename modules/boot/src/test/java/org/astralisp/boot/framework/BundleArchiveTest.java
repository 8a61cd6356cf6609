package org.astralisp.boot.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.astralisp.boot.TestImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleArchiveTest {

    @TempDir
    Path dir;

    private String error(String source) {
        return assertThrows(BundleArchiveException.class, () -> BundleArchive.load(source)).getMessage();
    }

    @Test
    void readsTheSymbolicNameAndVersion() throws Exception {
        Path jar = TestImage.manifestOnlyBundle(dir.resolve("a.jar"), "org.example.a;singleton:=true", "1.2.3");
        BundleArchive archive = BundleArchive.load(jar.toString());
        assertEquals("org.example.a", archive.symbolicName());
        assertEquals("1.2.3", archive.version());
        assertEquals(jar.toUri().toString(), archive.location());
        assertEquals("org.example.a 1.2.3", archive.toString());
        assertEquals(Files.size(jar), archive.open().readAllBytes().length);
    }

    @Test
    void readsFromAFileUrl() throws Exception {
        Path jar = TestImage.manifestOnlyBundle(dir.resolve("u.jar"), "org.example.u", "1.0.0");
        BundleArchive archive = BundleArchive.load(jar.toUri().toString());
        assertEquals("org.example.u", archive.symbolicName());
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals("/no/such.jar: no such file", error("/no/such.jar"));
    }

    @Test
    void anUnreachableUrlIsNamed() {
        assertTrue(error("file:/no/such.jar").startsWith("file:/no/such.jar: cannot read"));
    }

    @Test
    void aMalformedUrlIsNamed() {
        assertTrue(error("http://[bad").startsWith("http://[bad: not a valid URL"), error("http://[bad"));
    }

    @Test
    void aFileThatIsNotAJarIsRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just text");
        assertEquals(text.toUri() + ": not a jar (no zip entries)", error(text.toString()));
    }

    @Test
    void aJarWithoutAManifestIsNotABundle() throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            out.write(1);
        }
        assertEquals(jar.toUri() + ": not an OSGi bundle (no META-INF/MANIFEST.MF)", error(jar.toString()));
    }

    @Test
    void aJarWhoseManifestNamesNoBundleIsRefused() throws IOException {
        Path jar = TestImage.manifestOnlyBundle(dir.resolve("lib.jar"), null, null);
        assertEquals(jar.toUri() + ": not an OSGi bundle (its manifest has no Bundle-SymbolicName)", error(jar.toString()));
    }

    @Test
    void aJarWithACorruptEntryIsRefused() throws IOException {
        byte[] data = "payload that the CRC protects".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        Path jar = dir.resolve("c.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.c");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            java.util.zip.ZipEntry stored = new java.util.zip.ZipEntry("data.bin");
            stored.setMethod(java.util.zip.ZipEntry.STORED);
            stored.setSize(data.length);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(data);
        }
        byte[] bytes = Files.readAllBytes(jar);
        bytes[indexOf(bytes, data) + 3] ^= 0x20;
        Files.write(jar, bytes);
        String message = error(jar.toString());
        assertTrue(message.startsWith(jar.toUri() + ": corrupt jar (invalid entry CRC (expected 0x"
                + Long.toHexString(crc.getValue())), message);
    }

    @Test
    void randomBytesAreRefusedWithAnArchiveError() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(2048)];
            random.nextBytes(bytes);
            if (bytes.length > 4) {
                bytes[0] = 'P';
                bytes[1] = 'K';
                bytes[2] = 3;
                bytes[3] = 4;
            }
            assertThrows(BundleArchiveException.class, () -> BundleArchive.parse("fuzz", bytes));
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

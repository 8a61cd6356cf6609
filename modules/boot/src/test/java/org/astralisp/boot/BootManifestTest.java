package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootManifestTest {

    private static final Path FILE = Path.of("conf/boot.manifest");
    private static final Path ROOT = Path.of("/img");

    @TempDir
    Path dir;

    @Test
    void readsPropertiesLevelsAndBundlesInOrder() throws BootManifestException {
        BootManifest manifest = BootManifest.parse(FILE, """
                # comment
                property astra.greeting = hello world
                bundle bundles/a.jar
                level 3
                bundle bundles/b.jar no-start
                  bundle   bundles/c.jar
                """, ROOT);
        assertEquals(Map.of("astra.greeting", "hello world"), manifest.properties());
        assertEquals(3, manifest.bundles().size());
        BootManifest.Entry a = manifest.bundles().get(0);
        assertEquals(Path.of("/img/bundles/a.jar"), a.jar());
        assertEquals(1, a.startLevel());
        assertTrue(a.start());
        assertEquals(3, a.line());
        BootManifest.Entry b = manifest.bundles().get(1);
        assertEquals(3, b.startLevel());
        assertFalse(b.start());
        assertEquals(3, manifest.finalStartLevel());
    }

    @Test
    void anArchBundleIsForItsMachineOnly() throws BootManifestException {
        BootManifest manifest = BootManifest.parse(FILE, "bundle hal-x86.jar arch=x86_64 no-start\nbundle kernel.jar\n", ROOT);
        BootManifest.Entry hal = manifest.bundles().get(0);
        assertEquals("x86_64", hal.arch());
        assertFalse(hal.start());
        assertTrue(hal.isFor("x86_64"));
        assertFalse(hal.isFor("ppc64"));
        assertTrue(manifest.bundles().get(1).isFor("ppc64"));
    }

    @Test
    void anEmptyManifestStartsAtLevelOne() throws BootManifestException {
        assertEquals(1, BootManifest.parse(FILE, "# nothing\n", ROOT).finalStartLevel());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bundel bundles/a.jar | conf/boot.manifest:2: unknown directive 'bundel' (expected property, level or bundle)",
        "property nothing | conf/boot.manifest:2: property needs NAME = VALUE",
        "property 9lives = x | conf/boot.manifest:2: bad property name '9lives'",
        "level 0 | conf/boot.manifest:2: level needs a number from 1 to 99, not '0'",
        "level high | conf/boot.manifest:2: level needs a number from 1 to 99, not 'high'",
        "bundle | conf/boot.manifest:2: bundle needs PATH [no-start] [arch=A]",
        "bundle a.jar lazy | conf/boot.manifest:2: unknown or repeated bundle option 'lazy' (expected no-start or arch=A)",
        "bundle a.jar no-start no-start | conf/boot.manifest:2: unknown or repeated bundle option 'no-start' (expected no-start or arch=A)",
        "bundle a.jar arch=sparc | conf/boot.manifest:2: unknown architecture 'sparc' (expected x86_64, riscv64 or ppc64)",
        "bundle a.jar x y z | conf/boot.manifest:2: bundle needs PATH [no-start] [arch=A]"})
    void syntaxErrorsNameTheFileAndLine(String line, String message) {
        BootManifestException e = assertThrows(BootManifestException.class,
                () -> BootManifest.parse(FILE, "# header\n" + line + "\n", ROOT));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aBundleListedTwiceIsAnError() {
        BootManifestException e = assertThrows(BootManifestException.class,
                () -> BootManifest.parse(FILE, "bundle a.jar\nbundle ./a.jar\n", ROOT));
        assertEquals("conf/boot.manifest:2: bundle ./a.jar is already listed on line 1", e.getMessage());
    }

    @Test
    void aPropertySetTwiceIsAnError() {
        BootManifestException e = assertThrows(BootManifestException.class,
                () -> BootManifest.parse(FILE, "property a = 1\nproperty a = 2\n", ROOT));
        assertEquals("conf/boot.manifest:2: property a is set twice", e.getMessage());
    }

    @Test
    void aMissingManifestSaysTheImageIsIncomplete() {
        Path missing = dir.resolve("conf/boot.manifest");
        BootManifestException e = assertThrows(BootManifestException.class, () -> BootManifest.read(missing, dir));
        assertEquals(missing + ": no boot manifest (the image is incomplete)", e.getMessage());
    }

    @Test
    void aManifestThatIsNotUtf8IsRefused() throws IOException {
        Path file = Files.write(dir.resolve("boot.manifest"), new byte[] {'l', 'e', (byte) 0xFF});
        assertEquals(file + ": not valid UTF-8",
                assertThrows(BootManifestException.class, () -> BootManifest.read(file, dir)).getMessage());
    }

    @Test
    void anUnreadableManifestIsNamed() {
        assertTrue(assertThrows(BootManifestException.class, () -> BootManifest.read(dir, dir))
                .getMessage().startsWith(dir + ": cannot read"));
    }

    @Test
    void readsAManifestFromDisk() throws IOException, BootManifestException {
        Path file = Files.writeString(dir.resolve("boot.manifest"), "level 2\nbundle x.jar\n");
        BootManifest manifest = BootManifest.read(file, dir);
        assertEquals(dir.resolve("x.jar"), manifest.bundles().getFirst().jar());
        assertEquals(file, manifest.source());
    }

    @Test
    void randomManifestsEitherParseOrFailWithAFileAndLine() {
        java.util.Random random = new java.util.Random(11);
        String[] words = {"property", "level", "bundle", "no-start", "=", "#", "a.jar", "x", "1", "99", "100", "-1", " ", "\n", "\t"};
        for (int round = 0; round < 5000; round++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(20);
            for (int i = 0; i < n; i++) {
                text.append(random.nextInt(10) == 0 ? String.valueOf((char) random.nextInt(0x3000)) : words[random.nextInt(words.length)]);
                text.append(random.nextBoolean() ? " " : "");
            }
            try {
                BootManifest manifest = BootManifest.parse(FILE, text.toString(), ROOT);
                assertTrue(manifest.finalStartLevel() >= 1 && manifest.finalStartLevel() <= BootManifest.MAX_START_LEVEL);
            } catch (BootManifestException e) {
                assertTrue(e.getMessage().matches("conf/boot\\.manifest:\\d+: .+"), e.getMessage());
            }
        }
    }
}

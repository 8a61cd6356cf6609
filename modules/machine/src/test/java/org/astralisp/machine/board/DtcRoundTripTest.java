package org.astralisp.machine.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each board's blob, decompiled by the real {@code dtc} (Debian package
 * device-tree-compiler), reads back as the expected source, and dtc's checks
 * (node names, unit addresses against {@code reg}, {@code interrupt-map},
 * PCI bridge, interrupt providers…) print no warning. Skipped only where dtc
 * is not installed. The expected sources are pasted in docs/machine.md.
 */
class DtcRoundTripTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64", "ppc64"})
    void dtcDecompilesTheBlobToTheExpectedSourceWithoutWarnings(String arch) throws Exception {
        Path dtc = onPath("dtc");
        assumeTrue(dtc != null, "dtc is not installed (apt-get install device-tree-compiler)");
        Board board = switch (arch) {
            case "x86_64" -> new X86Board();
            case "riscv64" -> new RiscvBoard();
            default -> new PowerBoard();
        };
        Path blob = directory.resolve(arch + ".dtb");
        Files.write(blob, FlattenedDeviceTreeWriter.write(
                board.deviceTree(2, 512L << 20, "console=ttyS0 loglevel=7"), 0));
        Process process = new ProcessBuilder(dtc.toString(), "-I", "dtb", "-O", "dts", blob.toString())
                .redirectError(directory.resolve("stderr").toFile())
                .start();
        String source = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dtc did not finish");
        assertEquals(0, process.exitValue(), Files.readString(directory.resolve("stderr")));
        assertEquals("", Files.readString(directory.resolve("stderr")), "dtc warnings");
        assertEquals(expected(arch), source);
    }

    private static Path onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String expected(String arch) throws IOException {
        try (InputStream in = DtcRoundTripTest.class.getResourceAsStream(arch + ".dts")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package org.astralisp.hal.api.devicetree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The device tree compiler ({@code dtc}, Debian package
 * {@code device-tree-compiler}, installed by {@code .ci/run}), run as the
 * reference implementation of the format.
 */
final class Dtc {

    private Dtc() {
    }

    static boolean available() {
        try {
            Process process = new ProcessBuilder("dtc", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code dtc -q -I dts -O dtb [options] -o OUT IN}, in {@code directory}; a failure fails the test. */
    static byte[] compile(Path directory, String dts, String... options) throws IOException, InterruptedException {
        Path source = Files.createTempFile(directory, "tree", ".dts");
        Path blob = Files.createTempFile(directory, "tree", ".dtb");
        Path log = Files.createTempFile(directory, "dtc", ".log");
        Files.writeString(source, dts);
        List<String> command = new ArrayList<>(List.of("dtc", "-q", "-I", "dts", "-O", "dtb"));
        command.addAll(List.of(options));
        command.addAll(List.of("-o", blob.toString(), source.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dtc did not finish in 30 s:\n" + dts);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("dtc failed: " + Files.readString(log) + "\n" + dts);
        }
        return Files.readAllBytes(blob);
    }
}

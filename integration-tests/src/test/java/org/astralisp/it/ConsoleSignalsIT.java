package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown signals of docs/boot.md against the real image, without the
 * Arquillian container (which always ends a boot with {@code shutdown}):
 * SIGTERM shuts down cleanly at once; one ^C (SIGINT) at the prompt only asks
 * for confirmation, a second within 3 s shuts down cleanly.
 */
class ConsoleSignalsIT {

    @TempDir
    Path dir;
    private Process image;
    private OutputStream console;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void bootACopyOfTheImage() throws Exception {
        Path copy = dir.resolve("image");
        Process cp = new ProcessBuilder("cp", "-a", System.getProperty("astra.image"), copy.toString()).inheritIO().start();
        assertEquals(0, cp.waitFor());
        deleteRecursively(copy.resolve("var"));
        image = new ProcessBuilder(copy.resolve("bin/astra").toString(), "boot", "--arch",
                System.getProperty("astra.arch", "x86_64")).redirectErrorStream(true).start();
        console = image.getOutputStream();
        Thread.ofPlatform().daemon().start(() -> copy(image.getInputStream()));
        awaitPrinted("ready in");
    }

    @AfterEach
    void killWhatIsLeft() {
        image.destroyForcibly();
    }

    @Test
    void sigtermShutsDownCleanly() throws Exception {
        signal("TERM");
        assertTrue(image.waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM:\n" + printed());
        assertEquals(0, image.exitValue(), printed());
        assertTrue(printed().contains("SIGTERM: shutting down"), printed());
    }

    @Test
    void oneInterruptAsksForASecond() throws Exception {
        signal("INT");
        awaitPrinted("press ^C again within 3 s to shut down");
        assertTrue(image.isAlive(), "one ^C must not shut down");
        signal("INT");
        assertTrue(image.waitFor(30, TimeUnit.SECONDS), "no exit after the second ^C:\n" + printed());
        assertEquals(0, image.exitValue(), printed());
        assertTrue(printed().contains("second ^C: shutting down"), printed());
    }

    @Test
    void endOfInputShutsDownCleanly() throws Exception {
        console.close();
        assertTrue(image.waitFor(30, TimeUnit.SECONDS), "no exit at end of input:\n" + printed());
        assertEquals(0, image.exitValue(), printed());
    }

    private void signal(String name) throws IOException, InterruptedException {
        // The launcher execs java, so the process is the JVM.
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(image.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (printed) {
                    printed.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the image exited; what it printed is kept
        }
    }

    private String printed() {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    private void awaitPrinted(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!printed().contains(text)) {
            if (System.nanoTime() > deadline || !image.isAlive()) {
                throw new AssertionError("'" + text + "' not printed:\n" + printed());
            }
            Thread.sleep(20);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

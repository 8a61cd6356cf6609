package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        List<String> withImage = new ArrayList<>(List.of(args));
        withImage.add("--image");
        withImage.add(dir.toString());
        return Main.run(withImage, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadFlagExitsWithStatusTwoAndOneLine() {
        assertEquals(Main.USAGE, run("--memory", "12Q"));
        assertEquals("astra: --memory 12Q: unknown size suffix 'Q' (use K, M, G or T)\n", stderr());
    }

    @Test
    void anImageThatCannotBootExitsWithStatusOneAndTheReason() throws Exception {
        TestImage.create(dir, "bundle\n");
        assertEquals(Main.FAILED, run("-e", "bundles"));
        assertEquals("astra: boot failed: " + dir.resolve("conf/boot.manifest") + ":1: bundle needs PATH [no-start] [arch=A]\n",
                stderr());
    }

    @Test
    void consoleLinesRunInOrderThenTheSystemShutsDownCleanly() throws Exception {
        TestImage.create(dir, TestImage.SCR_MANIFEST);
        assertEquals(Main.OK, run("-e", "bundles", "-e", "uptime"));
        String console = out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertTrue(console.contains("ok bundles\n"), console);
        assertTrue(console.contains("org.apache.felix.scr 2.2.14"), console);
        assertTrue(console.indexOf("ok uptime") > console.indexOf("org.apache.felix.scr"), console);
        assertEquals("", stderr());
    }

    @Test
    void linesAfterShutdownAreNotRun() throws Exception {
        TestImage.create(dir, TestImage.SCR_MANIFEST);
        assertEquals(Main.OK, run("-e", "shutdown", "-e", "bundles"));
        assertTrue(!out.toString(StandardCharsets.UTF_8).contains("ok bundles"));
    }

    @Test
    void aFailedConsoleLineMakesTheExitStatusOne() throws Exception {
        TestImage.create(dir, TestImage.SCR_MANIFEST);
        assertEquals(Main.FAILED, run("-e", "uptime", "-e", "start 99", "-e", "frobnicate"));
        assertEquals("astra: 2 of 3 console lines failed, first: -e #2 'start 99'\n", stderr());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("start: no bundle with id 99"));
    }
}

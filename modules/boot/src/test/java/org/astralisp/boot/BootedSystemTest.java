package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Boots real images (Felix, SCR, the sample bundles) in this JVM. */
class BootedSystemTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String console() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Bundle bundle(BootedSystem system, String symbolicName) {
        return Arrays.stream(system.host().context().getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }

    @Test
    void bootsTheManifestAndPrintsEachStageOfTheTimeline() throws Exception {
        BootedSystem system = TestImage.create(dir, TestImage.SCR_MANIFEST).boot(out);
        try {
            String console = console();
            for (String stage : new String[] {"] jvm start", "] kernel log", "] machine: ", "] boot manifest: 4 bundles",
                    "] framework init", "] install", "] start level 1: 4 bundles", "] console"}) {
                assertTrue(console.contains(stage), "missing stage '" + stage + "' in:\n" + console);
            }
            assertTrue(console.matches("(?s).*\nready in \\d+ ms\n.*"), console);
            assertEquals(Bundle.ACTIVE, bundle(system, "org.apache.felix.scr").getState());
            assertEquals(8, system.timeline().stages().size());
            assertTrue(Files.exists(dir.resolve("var/log/kernel.log")));
        } finally {
            assertTrue(system.shutdown());
        }
    }

    @Test
    void startsLevelsInOrderWithTheirBundles() throws Exception {
        BootedSystem system = TestImage.create(dir, TestImage.SCR_MANIFEST + """
                level 3
                bundle bundles/sample-counter-api.jar
                bundle bundles/sample-counter.jar
                """).boot(out);
        try {
            assertTrue(console().contains("] start level 2: 0 bundles"), console());
            assertTrue(console().contains("] start level 3: 2 bundles"), console());
            assertEquals(Bundle.ACTIVE, bundle(system, "org.astralisp.sample.counter").getState());
        } finally {
            system.shutdown();
        }
    }

    @Test
    void reportsBundlesThatDidNotComeUpAndBootsTheRest() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST + """
                level 2
                bundle bundles/missing.jar
                bundle bundles/orphan.jar
                bundle bundles/sample-counter.jar
                """);
        TestImage.manifestOnlyBundle(image.bundle("orphan.jar"), "org.example.orphan", "1.0.0",
                "Import-Package", "org.nowhere");
        BootedSystem system = image.boot(out);
        try {
            String console = console();
            assertTrue(console.contains("3 bundles did not come up:"), console);
            assertTrue(console.contains("missing.jar: " + image.bundle("missing.jar") + ": no such file"), console);
            assertTrue(console.matches("(?s).*org\\.example\\.orphan 1\\.0\\.0 \\[\\d+]: cannot resolve: missing package org\\.nowhere.*"),
                    console);
            assertTrue(console.matches("(?s).*org\\.astralisp\\.sample\\.counter 1\\.0\\.0 \\[\\d+]: cannot resolve: "
                    + "missing package org\\.astralisp\\.sample\\.counter\\.api.*"), console);
            assertEquals(Bundle.ACTIVE, bundle(system, "org.apache.felix.scr").getState());
            assertTrue(system.monitor().execute("bundles"));
            assertEquals(3, system.host().failures().size());
        } finally {
            system.shutdown();
        }
    }

    @Test
    void aBrokenManifestStopsTheBootNamingFileAndLine() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST + "levle 2\n");
        BootException e = assertThrows(BootException.class, () -> image.boot(out));
        assertEquals(dir.resolve("conf/boot.manifest") + ":6: unknown directive 'levle' (expected property, level or bundle)",
                e.getMessage());
    }

    @Test
    void bundlesSeeTheMachineFlagsAndManifestPropertiesAsFrameworkProperties() throws Exception {
        TestImage image = TestImage.create(dir, "property astra.motd = welcome\n" + TestImage.SCR_MANIFEST);
        BootedSystem system = BootedSystem.boot(image.options("--arch", "riscv64", "--cpus", "2", "--memory", "1G"),
                java.time.Instant.now(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var context = system.host().context();
            assertEquals("riscv64", context.getProperty("astra.arch"));
            assertEquals("2", context.getProperty("astra.cpus"));
            assertEquals(Long.toString(1L << 30), context.getProperty("astra.memory"));
            assertEquals("welcome", context.getProperty("astra.motd"));
            assertEquals(dir, system.image());
            assertTrue(console().startsWith("AstraLisp OS dev (riscv64, 2 cpus, 1G)"), console());
        } finally {
            system.shutdown();
        }
    }

    @Test
    void shutdownStopsTheFrameworkOnce() throws Exception {
        BootedSystem system = TestImage.create(dir, TestImage.SCR_MANIFEST).boot(out);
        Bundle scr = bundle(system, "org.apache.felix.scr");
        assertTrue(system.shutdown());
        assertFalse(scr.getState() == Bundle.ACTIVE);
        assertTrue(system.shutdown(), "a second shutdown is a no-op");
        assertTrue(Files.readString(dir.resolve("var/log/kernel.log")).contains("halted"));
    }

    @Test
    void aRunningImageCannotBeBootedTwice() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST);
        BootedSystem first = image.boot(out);
        try {
            BootException e = assertThrows(BootException.class, () -> image.boot(new ByteArrayOutputStream()));
            assertEquals("the image is already running (pid " + ProcessHandle.current().pid() + "); boot a copy of it instead"
                    + " (lock: " + dir.resolve("var/run/astra.lock") + ")", e.getMessage());
            assertTrue(first.monitor().execute("bundles"));
        } finally {
            first.shutdown();
        }
        BootedSystem again = image.boot(out);
        again.shutdown();
    }

    @Test
    void theMachinesPortsAreServicesOfTheSystemBundle() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST);
        BootedSystem system = BootedSystem.boot(image.options("--arch", "ppc64", "--cpus", "2", "--memory", "256M"),
                java.time.Instant.now(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var context = system.host().context();
            var ram = context.getService(context.getServiceReference(org.astralisp.machine.port.PhysicalMemory.class));
            assertEquals(256L << 20, ram.size());
            assertTrue(context.getServiceReference(org.astralisp.machine.port.MmioSpace.class) != null);
            var firmwareReference = context.getServiceReference(org.astralisp.machine.port.Firmware.class);
            assertEquals("ppc64", firmwareReference.getProperty("arch"));
            var firmware = context.getService(firmwareReference);
            assertEquals(0xd00dfeed, firmware.deviceTree().getInt(0));
            var cpus = context.getServiceReferences(org.astralisp.machine.port.Cpu.class, "(cpu.id=1)");
            assertEquals(1, cpus.size());
            assertEquals(1, context.getService(cpus.iterator().next()).id());
            assertTrue(console().contains("] machine: "), console());
        } finally {
            system.shutdown();
        }
    }

    @Test
    void aMachineTheHostCannotGiveStopsTheBoot() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST);
        BootException e = assertThrows(BootException.class, () -> BootedSystem.boot(image.options("--memory", "64T"),
                java.time.Instant.now(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("no machine: "), e.getMessage());
        BootedSystem after = image.boot(out);
        after.shutdown();
    }

    @Test
    void onlyTheBundlesOfTheBootedArchitectureAreInstalled() throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST + """
                level 2
                bundle bundles/sample-counter-api.jar arch=riscv64
                bundle bundles/sample-counter.jar arch=ppc64
                """);
        BootedSystem system = BootedSystem.boot(image.options("--arch", "riscv64"), java.time.Instant.now(),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertTrue(console().contains("] boot manifest: 5 bundles"), console());
            assertEquals(Bundle.ACTIVE, bundle(system, "org.astralisp.sample.counter.api").getState() == Bundle.RESOLVED
                    ? Bundle.ACTIVE : bundle(system, "org.astralisp.sample.counter.api").getState());
            assertFalse(Arrays.stream(system.host().context().getBundles())
                    .anyMatch(b -> "org.astralisp.sample.counter".equals(b.getSymbolicName())));
        } finally {
            system.shutdown();
        }
    }
}

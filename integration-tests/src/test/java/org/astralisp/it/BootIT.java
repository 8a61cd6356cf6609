package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.astralisp.it.container.AstraConsole;
import org.astralisp.it.container.BundleTable;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The image boots to its console: banner, timeline and ready time before the
 * first prompt, and the boot manifest's bundles active.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BootIT {

    private static final Pattern BANNER = Pattern.compile(
            "AstraLisp OS \\S+ \\((x86_64|riscv64|ppc64), \\d+ cpus?, \\S+\\)");
    private static final Pattern STAGE = Pattern.compile("  \\[\\s*\\d+\\.\\d ms] (.+)");
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms");

    @ArquillianResource
    private AstraConsole console;

    @Test
    void bootPrintsBannerTimelineAndReadyTimeBeforeTheFirstPrompt() {
        List<String> lines = console.bootTranscript().lines().toList();

        assertTrue(BANNER.matcher(lines.getFirst()).matches(), "banner: " + lines.getFirst());
        List<String> stages = lines.stream().map(STAGE::matcher).filter(Matcher::matches)
                .map(stage -> stage.group(1).replaceAll(":.*", "")).toList();
        assertInOrder(List.of("jvm start", "framework init", "start level 1", "console"), stages);
        assertTrue(READY.matcher(lines.getLast()).matches(), "last line before the prompt: " + lines.getLast());
    }

    /** {@code expected} appear in {@code stages} in this order (the loader may add stages between them). */
    private static void assertInOrder(List<String> expected, List<String> stages) {
        int from = 0;
        for (String stage : expected) {
            int at = stages.subList(from, stages.size()).indexOf(stage);
            assertTrue(at >= 0, "stage '" + stage + "' missing or out of order in " + stages);
            from += at + 1;
        }
    }

    @Test
    void bannerNamesTheMachineTheImageWasBootedAs() {
        Matcher banner = BANNER.matcher(console.bootTranscript().lines().findFirst().orElse(""));

        assertTrue(banner.matches(), console.bootTranscript());
        assertEquals(System.getProperty("astra.arch", hostArch()), banner.group(1));
    }

    /** Without --arch the machine is the host's kind (astra boot's default). */
    private static String hostArch() {
        return switch (System.getProperty("os.arch")) {
            case "riscv64" -> "riscv64";
            case "ppc64", "ppc64le" -> "ppc64";
            default -> "x86_64";
        };
    }

    @Test
    void declarativeServicesRuntimeIsActiveAfterBoot() {
        BundleTable.Row scr = console.bundles().find("org.apache.felix.scr")
                .orElseThrow(() -> new AssertionError("SCR is not installed"));

        assertEquals("ACTIVE", scr.state());
        assertEquals(1, scr.level());
    }

    @Test
    void everyBundleOfTheBootManifestIsActive() {
        BundleTable bundles = console.bundles();

        for (String name : List.of("org.apache.felix.framework", "org.osgi.util.function", "org.osgi.util.promise",
                "org.osgi.service.component", "org.apache.felix.scr")) {
            BundleTable.Row row = bundles.find(name).orElseThrow(() -> new AssertionError(name + " is not installed"));
            assertEquals("ACTIVE", row.state(), name);
        }
    }
}

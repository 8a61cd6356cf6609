package org.astralisp.boot.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.astralisp.boot.BootedSystem;
import org.astralisp.boot.TestImage;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Every built-in monitor command against a real booted system, good input and bad. */
class MonitorTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private TestImage image;
    private BootedSystem system;
    private Monitor monitor;

    @BeforeEach
    void boot() throws Exception {
        image = TestImage.create(dir, TestImage.SCR_MANIFEST);
        system = image.boot(out);
        monitor = system.monitor();
    }

    @AfterEach
    void shutdown() {
        system.shutdown();
    }

    /** Runs a line and returns what it printed. */
    private String run(String line, boolean expectSuccess) {
        out.reset();
        boolean ok = monitor.execute(line);
        String printed = transcript();
        assertEquals(expectSuccess, ok, "'" + line + "' printed: " + printed);
        return printed;
    }

    /** What reached the host through the console UART, with the tty's CR LF as LF. */
    private String transcript() {
        assertTrue(system.drainConsole(), "the console UART's output did not drain");
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private String ok(String line) {
        return run(line, true);
    }

    private String fails(String line) {
        return run(line, false);
    }

    private long install(String jar) {
        String printed = ok("install " + image.bundle(jar));
        return Long.parseLong(printed.replaceAll("(?s).*\\[(\\d+)]\\s*", "$1"));
    }

    @Test
    void helpListsEveryBuiltinAndDescribesOne() {
        String help = ok("help");
        for (String name : List.of("machine", "bundles", "install", "start", "stop", "uninstall", "update", "services", "dmesg",
                "uptime", "loglevel", "shutdown", "help")) {
            assertTrue(help.contains("\n  " + name + " "), "help lacks " + name + ":\n" + help);
        }
        assertTrue(ok("help update").startsWith("update ID PATH|URL"));
        assertEquals("help: no command named fly\n", fails("help fly"));
        assertEquals("help: takes at most one command name\n", fails("help a b"));
    }

    @Test
    void bundlesListsIdStateLevelNameAndVersion() {
        String table = ok("bundles");
        assertTrue(table.startsWith("  ID  STATE       LEVEL  NAME VERSION\n"), table);
        assertTrue(table.matches("(?s).*\\n +0  ACTIVE +0  org\\.apache\\.felix\\.framework .*"), table);
        assertTrue(table.matches("(?s).*\\n +4  ACTIVE +1  org\\.apache\\.felix\\.scr 2\\.2\\.14\\n.*"), table);
        assertEquals("bundles: usage: bundles\n", fails("bundles all"));
    }

    @Test
    void installStartStopUninstallABundle() {
        long api = install("sample-counter-api.jar");
        long counter = install("sample-counter.jar");
        assertEquals("started org.astralisp.sample.counter 1.0.0 [" + counter + "]\n", ok("start " + counter));
        assertEquals(Bundle.ACTIVE, system.host().context().getBundle(counter).getState());
        assertTrue(ok("services").contains("org.astralisp.sample.counter.api.Counter, org.astralisp.boot.spi.Handover"));
        assertEquals("stopped org.astralisp.sample.counter 1.0.0 [" + counter + "]\n", ok("stop " + counter));
        assertEquals(Bundle.RESOLVED, system.host().context().getBundle(counter).getState());
        assertEquals("uninstalled org.astralisp.sample.counter 1.0.0 [" + counter + "]\n", ok("uninstall " + counter));
        assertFalse(ok("bundles").contains("org.astralisp.sample.counter 1.0.0"));
        assertTrue(api > 0);
    }

    @Test
    void installRefusesWhatIsNotABundleAndWhatIsAlreadyThere() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals("install: " + text.toUri() + ": not a jar (no zip entries)\n", fails("install " + text));
        Path plain = TestImage.manifestOnlyBundle(dir.resolve("plain.jar"), null, null);
        assertEquals("install: " + plain.toUri() + ": not an OSGi bundle (its manifest has no Bundle-SymbolicName)\n",
                fails("install " + plain));
        assertEquals("install: /nowhere/x.jar: no such file\n", fails("install /nowhere/x.jar"));
        long api = install("sample-counter-api.jar");
        assertEquals("install: " + image.bundle("sample-counter-api.jar") + " is already installed as bundle " + api
                + " (use update to replace it)\n", fails("install " + image.bundle("sample-counter-api.jar")));
        assertEquals("install: usage: install PATH|URL\n", fails("install"));
    }

    @Test
    void installRefusesASecondCopyOfASingletonWithTheFrameworksReason() throws Exception {
        Path one = TestImage.manifestOnlyBundle(dir.resolve("one.jar"), "org.example.same;singleton:=true", "1.0.0");
        Path two = TestImage.manifestOnlyBundle(dir.resolve("two.jar"), "org.example.same", "1.0.0");
        ok("install " + one);
        String printed = fails("install " + two);
        assertTrue(printed.startsWith("install: " + two + ": not installed: "), printed);
    }

    @Test
    void aBundleWithMissingDependenciesIsReportedAndTheSystemStaysUp() throws Exception {
        Path orphan = TestImage.manifestOnlyBundle(dir.resolve("orphan.jar"), "org.example.orphan", "1.0.0",
                "Import-Package", "org.nowhere;version=\"[1,2)\"");
        long id = Long.parseLong(ok("install " + orphan).replaceAll("(?s).*\\[(\\d+)]\\s*", "$1"));
        assertEquals("start: org.example.orphan 1.0.0 [" + id + "] not started: cannot resolve: missing package org.nowhere\n",
                fails("start " + id));
        assertTrue(ok("bundles").contains("ACTIVE          1  org.apache.felix.scr"));
        long api = install("sample-counter-api.jar");
        long counter = install("sample-counter.jar");
        ok("start " + counter);
        assertTrue(api > id);
    }

    @Test
    void lifecycleCommandsCheckTheirArguments() {
        assertEquals("start: no bundle with id 99\n", fails("start 99"));
        assertEquals("stop: 'abc' is not a bundle id (see: bundles)\n", fails("stop abc"));
        assertEquals("uninstall: bundle 0 is the framework itself; use shutdown\n", fails("uninstall 0"));
        assertEquals("start: usage: start ID\n", fails("start"));
        long api = install("sample-counter-api.jar");
        ok("uninstall " + api);
        assertEquals("uninstall: no bundle with id " + api + "\n", fails("uninstall " + api));
    }

    @Test
    void updateChecksItsArguments() {
        assertEquals("update: no bundle with id 42\n", fails("update 42 " + image.bundle("sample-counter-next.jar")));
        assertEquals("update: usage: update ID PATH|URL\n", fails("update 4"));
        assertEquals("update: /no/new.jar: no such file\n", fails("update 4 /no/new.jar"));
        String printed = fails("update 4 " + image.bundle("sample-counter-next.jar"));
        assertEquals("update: " + image.bundle("sample-counter-next.jar").toUri() + " is org.astralisp.sample.counter, not "
                + "org.apache.felix.scr: an update must be a version of the same bundle\n", printed);
    }

    @Test
    void servicesListsRegistrationsWithTheirBundle() {
        String services = ok("services");
        assertTrue(services.startsWith("  ID  BUNDLE  INTERFACES\n"), services);
        assertTrue(services.matches("(?s).*\\n +\\d+ +0  org\\.astralisp\\.boot\\.spi\\.HandoverRegistry\\n.*"), services);
        assertEquals("services: usage: services\n", fails("services x"));
    }

    @Test
    void dmesgShowsTheKernelLogAndItsTail() {
        String all = ok("dmesg");
        assertTrue(all.contains("INFO  boot: ready in"), all);
        assertEquals(1, ok("dmesg 1").lines().count());
        assertEquals("", ok("dmesg 0"));
        assertEquals("dmesg: line count must not be negative, was -1\n", fails("dmesg -1"));
        assertEquals("dmesg: 'x' is not a line count\n", fails("dmesg x"));
        assertEquals("dmesg: usage: dmesg [N]\n", fails("dmesg 1 2"));
    }

    @Test
    void uptimeCountsFromBootAndActiveBundles() {
        assertTrue(ok("uptime").matches("up 0:00:\\d\\d\\.\\d{3}, 5 of 5 bundles active\n"), ok("uptime"));
        assertEquals("uptime: usage: uptime\n", fails("uptime now"));
    }

    @Test
    void loglevelSetsAndListsSubsystemLevels() {
        assertEquals("org.astralisp.disk DEBUG\n", ok("loglevel disk debug"));
        assertTrue(ok("loglevel").contains("disk DEBUG\n"));
        assertEquals("loglevel: unknown level 'loud' (expected trace, debug, info, warn, error or off)\n",
                fails("loglevel disk loud"));
        assertEquals("loglevel: usage: loglevel [SUBSYSTEM LEVEL]\n", fails("loglevel disk"));
    }

    @Test
    void machineDescribesTheHardware() {
        String machine = ok("machine");
        assertTrue(machine.contains("page size"), machine);
        assertTrue(machine.contains("4096"), machine);
        assertTrue(machine.toLowerCase(java.util.Locale.ROOT).contains("apic"), machine);
        assertEquals("machine: usage: machine\n", fails("machine x"));
    }

    @Test
    void shutdownAsksTheConsoleLoopToEnd() {
        assertFalse(monitor.shutdownRequested());
        assertEquals("shutting down\n", ok("shutdown"));
        assertTrue(monitor.shutdownRequested());
        assertEquals("shutdown: usage: shutdown\n", fails("shutdown now"));
    }

    @Test
    void linesThatAreNotCommands() {
        assertEquals("", ok("   "));
        assertEquals(Monitor.NO_LISP + "\n", fails("(+ 1 2)"));
        assertEquals("frobnicate: unknown command (type help for the list)\n", fails("frobnicate now"));
        assertEquals("unterminated \" in: install \"x\n", fails("install \"x"));
    }

    @Test
    void bundlesContributeCommandsAsServices() {
        system.host().context().registerService(ConsoleCommand.class, ConsoleCommand.of("echo",
                "echo WORD...               print the words", (args, out) -> {
                    if (args.isEmpty()) {
                        throw new CommandException("needs words");
                    }
                    if (args.getFirst().equals("crash")) {
                        throw new IllegalStateException("echo chamber collapsed");
                    }
                    out.println(String.join(" ", args));
                }), null);
        assertEquals("two words\n", ok("echo two \"words\""));
        assertTrue(ok("help").contains("\n  echo WORD..."));
        assertEquals("echo: needs words\n", fails("echo"));
        assertEquals("echo: failed: java.lang.IllegalStateException: echo chamber collapsed\n", fails("echo crash"));
    }

    @Test
    void theConsoleLoopPromptsReportsBadInputAndStopsAtShutdown() throws Exception {
        byte[] input = "uptime\n\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] rest = "shutdown\nbundles\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[input.length + rest.length];
        System.arraycopy(input, 0, all, 0, input.length);
        System.arraycopy(rest, 0, all, input.length, rest.length);
        out.reset();
        monitor.run(new ConsoleInput(new ByteArrayInputStream(all)));
        String printed = transcript();
        assertTrue(printed.startsWith("ok up 0:00:"), printed);
        assertTrue(printed.contains("ok console: input is not valid UTF-8 (byte 0xFF at offset 0); line ignored\n"), printed);
        assertTrue(printed.endsWith("ok shutting down\n"), printed);
    }

    @Test
    void theConsoleLoopEndsAtEndOfInput() throws Exception {
        out.reset();
        monitor.run(new ConsoleInput(new ByteArrayInputStream(new byte[0])));
        assertEquals("ok \n", transcript());
    }

    @Test
    void aTypedInterruptWarnsOnceAndASecondWithinThreeSecondsEndsTheLoop() throws Exception {
        out.reset();
        java.util.Iterator<ConsoleInput.Read> reads = List.<ConsoleInput.Read>of(new ConsoleInput.Interrupt(),
                new ConsoleInput.Line("uptime"), new ConsoleInput.Interrupt()).iterator();
        monitor.run(reads::next);
        String printed = transcript();
        assertTrue(printed.startsWith("ok " + InterruptConfirmation.HINT + "\nok up 0:00:"), printed);
        assertTrue(printed.endsWith("ok second ^C: shutting down\n"), printed);
        assertFalse(reads.hasNext());
    }
}

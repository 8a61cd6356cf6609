package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's promises about a misbehaving image, checked against launchers
 * that misbehave on purpose ({@link FakeImage}): every wait ends within its
 * timeout, the image is killed, and the error says what happened.
 */
class AstraDeployableContainerTest {

    private static final Pattern PID = Pattern.compile("\\(pid (\\d+)\\)");
    /** Well above the one-second timeouts used here, well below anything that would hang the build. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path image;

    @TempDir
    Path work;

    private final AstraDeployableContainer container = new AstraDeployableContainer();

    @AfterEach
    void shutDownWhatIsLeft() throws LifecycleException {
        AstraConsole console = container.console();
        if (console != null && !console.isDown()) {
            container.stop();
        }
    }

    private void setUp(int timeoutSeconds) {
        container.setup(FakeImage.configuration(image, work, timeoutSeconds));
    }

    @Test
    void imageThatExitsDuringBootFailsStartWithTheLaunchersReason() throws IOException {
        FakeImage.withLauncher(image, "echo 'astra: boot failed: conf/boot.manifest line 3: no such bundle' >&2\nexit 1\n");
        setUp(10);

        LifecycleException failed = assertThrows(LifecycleException.class, container::start);

        assertTrue(failed.getMessage().contains("exited instead of prompting after boot (exit status 1)"), failed.getMessage());
        assertTrue(failed.getMessage().contains("astra: boot failed: conf/boot.manifest line 3: no such bundle"),
                failed.getMessage());
    }

    @Test
    void imageThatNeverPromptsFailsStartWithinTheBootTimeoutAndIsKilled() throws IOException {
        FakeImage.withLauncher(image, "echo 'AstraLisp OS fake'\nexec sleep 60\n");
        setUp(1);

        LifecycleException failed = assertTimeoutPreemptively(BOUND, () -> assertThrows(LifecycleException.class,
                container::start));

        assertTrue(failed.getMessage().contains("printed no prompt within 1000 ms after boot"), failed.getMessage());
        assertTrue(failed.getMessage().contains("AstraLisp OS fake"), failed.getMessage());
        assertFalse(isAlive(pidIn(failed.getMessage())), "the image still runs");
    }

    @Test
    void hungCommandFailsWithinTheCommandTimeoutAndKillsTheImageWithItsChildren() throws Exception {
        FakeImage.prompting(image, "        hang) sleep 60 & echo $! > hang.pid; wait ;;");
        setUp(1);
        container.start();
        AstraConsole console = container.console();

        AstraConsoleException hung = assertTimeoutPreemptively(BOUND, () -> assertThrows(AstraConsoleException.class,
                () -> console.run("hang")));

        assertTrue(hung.getMessage().contains("printed no prompt within 1000 ms after 'hang'"), hung.getMessage());
        assertTrue(console.isDown(), "the image still runs");
        long sleeper = Long.parseLong(Files.readString(work.resolve("image/hang.pid")).strip());
        assertFalse(isAlive(sleeper), "the command's child process still runs");
    }

    @Test
    void imageThatExitsOnItsOwnFailsTheCommandItWasGiven() throws Exception {
        FakeImage.prompting(image, "        poweroff) exit 0 ;;");
        setUp(5);
        container.start();

        AstraConsoleException exited = assertThrows(AstraConsoleException.class,
                () -> container.console().run("poweroff"));

        assertTrue(exited.getMessage().contains("exited instead of prompting after 'poweroff' (exit status 0)"),
                exited.getMessage());
    }

    @Test
    void consoleRefusesALineWithALineBreak() throws Exception {
        FakeImage.prompting(image, "");
        setUp(5);
        container.start();

        assertThrows(IllegalArgumentException.class, () -> container.console().run("bundles\nshutdown"));
        assertEquals("x: unknown command (type help for the list)", container.console().run("x"));
    }

    @Test
    void consoleRefusesLinesAfterItKilledTheImage() throws Exception {
        FakeImage.prompting(image, "        hang) sleep 60 ;;");
        setUp(1);
        container.start();
        AstraConsole console = container.console();
        assertThrows(AstraConsoleException.class, () -> console.run("hang"));

        AstraConsoleException refused = assertThrows(AstraConsoleException.class, () -> console.run("bundles"));

        assertTrue(refused.getMessage().startsWith("the image was killed earlier ("), refused.getMessage());
    }

    @Test
    void stopAfterTheImageWasKilledReportsWhyThereWasNoCleanShutdown() throws Exception {
        FakeImage.prompting(image, "        hang) sleep 60 ;;");
        setUp(1);
        container.start();
        assertThrows(AstraConsoleException.class, () -> container.console().run("hang"));

        LifecycleException stopped = assertThrows(LifecycleException.class, container::stop);

        assertTrue(stopped.getMessage().startsWith("no clean shutdown: the image (pid "), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("after 'hang'"), stopped.getMessage());
    }

    @Test
    void stopFailsWhenTheImageExitsWithAnErrorStatus() throws Exception {
        FakeImage.prompting(image, "        shutdown) echo 'shutting down'; echo 'astra: shutdown was not clean' >&2; exit 1 ;;");
        setUp(5);
        container.start();

        LifecycleException stopped = assertThrows(LifecycleException.class, container::stop);

        assertTrue(stopped.getMessage().contains("did not shut down cleanly (exit status 1)"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("astra: shutdown was not clean"), stopped.getMessage());
    }

    @Test
    void stopFailsWithinTheShutdownTimeoutWhenTheImageDoesNotExit() throws Exception {
        FakeImage.prompting(image, "        shutdown) echo 'shutting down'; sleep 60 ;;");
        setUp(1);
        container.start();
        AstraConsole console = container.console();

        LifecycleException stopped = assertTimeoutPreemptively(BOUND, () -> assertThrows(LifecycleException.class,
                container::stop));

        assertTrue(stopped.getMessage().contains("did not exit within 1 s of 'shutdown'"), stopped.getMessage());
        assertTrue(console.isDown(), "the image still runs");
    }

    @Test
    void cleanShutdownStopsWithoutError() throws Exception {
        FakeImage.prompting(image, "");
        setUp(5);
        container.start();
        AstraConsole console = container.console();

        container.stop();

        assertTrue(console.isDown());
        assertEquals(null, container.console());
    }

    @Test
    void startBootsAFreshCopyOfTheImageWithoutItsVarDirectory() throws Exception {
        FakeImage.prompting(image, "");
        Files.createDirectories(image.resolve("var/cache/felix"));
        Files.createDirectories(work.resolve("image"));
        Files.writeString(work.resolve("image/left-from-an-earlier-run"), "stale");
        setUp(5);

        container.start();

        Path copy = container.image().root();
        assertEquals(work.resolve("image"), copy);
        assertTrue(Files.isExecutable(copy.resolve("bin/astra")), "launcher not copied as executable");
        assertFalse(Files.exists(copy.resolve("var")), "var/ was copied");
        assertFalse(Files.exists(copy.resolve("left-from-an-earlier-run")), "the earlier copy was not replaced");
        container.stop();
    }

    @Test
    void archAndBootArgumentsArePassedToAstraBoot() throws Exception {
        FakeImage.withLauncher(image, "echo \"args: $*\"\nprintf 'ok '\nread line\necho 'shutting down'\n");
        AstraContainerConfiguration configuration = FakeImage.configuration(image, work, 5);
        configuration.setArch("riscv64");
        configuration.setBootArguments(" --cpus 2  --memory 1G ");
        container.setup(configuration);

        container.start();

        assertEquals("args: boot --arch riscv64 --cpus 2 --memory 1G\n", container.console().bootTranscript());
    }

    @Test
    void imageCanBeBootedInPlace() throws Exception {
        FakeImage.prompting(image, "");
        AstraContainerConfiguration configuration = FakeImage.configuration(image, work, 5);
        configuration.setCopyImage(false);
        container.setup(configuration);

        container.start();

        assertEquals(image.toAbsolutePath().normalize(), container.image().root());
        container.stop();
    }

    @Test
    void deployFailsWhenTheImageIsNotRunning() {
        setUp(5);

        DeploymentException refused = assertThrows(DeploymentException.class,
                () -> container.deploy(ShrinkWrap.create(JavaArchive.class, "any.jar")));

        assertEquals("the AstraLisp image is not running", refused.getMessage());
    }

    @Test
    void undeployOfAnArchiveThatWasNeverDeployedFails() throws Exception {
        FakeImage.prompting(image, "");
        setUp(5);
        container.start();

        DeploymentException refused = assertThrows(DeploymentException.class,
                () -> container.undeploy(ShrinkWrap.create(JavaArchive.class, "never.jar")));

        assertEquals("never.jar is not deployed", refused.getMessage());
        container.stop();
    }

    private static long pidIn(String message) {
        Matcher pid = PID.matcher(message);
        assertTrue(pid.find(), "no pid in: " + message);
        return Long.parseLong(pid.group(1));
    }

    /**
     * Whether {@code pid} still runs. A killed grandchild is reparented to PID 1, which need not reap it
     * (it does not in a container), and {@link ProcessHandle#isAlive} counts such a zombie as alive; so a
     * process in state Z of /proc/PID/stat (proc(5)) counts as gone.
     */
    private static boolean isAlive(long pid) throws IOException {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException reaped) {
            return false;
        }
    }
}

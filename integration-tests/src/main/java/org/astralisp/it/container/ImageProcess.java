package org.astralisp.it.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One boot of an image: {@code bin/astra boot} as a child process, its console on
 * stdin/stdout, its stderr (the kernel log's warnings and the launcher's one-line
 * failure reasons) kept for error messages.
 *
 * <p>Invariant: the process never outlives the test JVM. A shutdown hook kills it
 * (with any children the launcher left behind) if the JVM exits while it runs,
 * and {@link #kill()} does the same on demand.
 */
final class ImageProcess {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final StreamTranscript stdout;
    private final StreamTranscript stderr;
    private final Thread killer;

    private ImageProcess(Process process) {
        this.process = process;
        this.stdout = StreamTranscript.pump(process.getInputStream(), "astra-stdout-" + process.pid());
        this.stderr = StreamTranscript.pump(process.getErrorStream(), "astra-stderr-" + process.pid());
        this.killer = new Thread(this::destroyTree, "astra-kill-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts {@code image/bin/astra boot ARGS} in {@code image}, on the Java
     * runtime this JVM runs on (the launcher takes {@code JAVA_HOME} when the image
     * has no runtime of its own).
     */
    static ImageProcess launch(Path image, List<String> bootArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(image.resolve("bin/astra").toString());
        command.add("boot");
        command.addAll(bootArguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(image.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new ImageProcess(builder.start());
    }

    long pid() {
        return process.pid();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    StreamTranscript stdout() {
        return stdout;
    }

    StreamTranscript stderr() {
        return stderr;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once the process has exited within {@code timeout}. */
    OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            forgetKiller();
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    /** Kills the process and whatever it started, and waits for it to be gone. */
    void kill() throws InterruptedException {
        destroyTree();
        process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        forgetKiller();
    }

    /**
     * Signals through {@link ProcessHandle}, not {@link Process#destroyForcibly()}: the latter also closes
     * this side's pipes, and what the process wrote just before it died (its stderr reason) would be lost
     * before the pump threads read it. Left open, the pipes reach their end once the tree is gone.
     */
    private void destroyTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    private void forgetKiller() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook anyway; killing a dead process is harmless.
        }
    }
}

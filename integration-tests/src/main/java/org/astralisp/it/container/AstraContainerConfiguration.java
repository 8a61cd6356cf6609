package org.astralisp.it.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * Where the image under test is and how long each step may take. Set in
 * {@code arquillian.xml} ({@code <container qualifier="astralisp">}); relative
 * paths are taken from the working directory, which Maven sets to the module.
 *
 * <p>Every wait on the child process is bounded by one of these timeouts, so
 * that a hung image fails a test instead of hanging the build.
 */
public final class AstraContainerConfiguration implements ContainerConfiguration {

    /** The system property that names the image when arquillian.xml does not. */
    public static final String IMAGE_PROPERTY = "astra.image";
    static final String DEFAULT_IMAGE = "../distribution/target/astralisp-0.1.0";
    /** The machines of the test matrix (ARCHITECTURE §2). */
    static final List<String> ARCHES = List.of("x86_64", "riscv64", "ppc64");

    private String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    private String workDirectory = "target/astra-machine";
    private boolean copyImage = true;
    private String arch = "";
    private String bootArguments = "";
    private int bootTimeoutSeconds = 60;
    private int commandTimeoutSeconds = 30;
    private int shutdownTimeoutSeconds = 30;

    @Override
    public void validate() throws ConfigurationException {
        Path launcher = imagePath().resolve("bin/astra");
        if (!Files.isExecutable(launcher)) {
            throw new ConfigurationException("no AstraLisp image at " + imagePath() + " (" + launcher
                    + " is missing or not executable): build it with ./mvnw -B install -DskipTests");
        }
        if (!arch.isEmpty() && !ARCHES.contains(arch)) {
            throw new ConfigurationException("arch " + arch + " is not one of " + String.join(", ", ARCHES));
        }
        positive("bootTimeoutSeconds", bootTimeoutSeconds);
        positive("commandTimeoutSeconds", commandTimeoutSeconds);
        positive("shutdownTimeoutSeconds", shutdownTimeoutSeconds);
    }

    private static void positive(String name, int seconds) throws ConfigurationException {
        if (seconds <= 0) {
            throw new ConfigurationException(name + " must be positive, was " + seconds);
        }
    }

    Path imagePath() {
        return Path.of(image).toAbsolutePath().normalize();
    }

    Path workPath() {
        return Path.of(workDirectory).toAbsolutePath().normalize();
    }

    public String getImage() {
        return image;
    }

    /** The image directory: the one with {@code bin/astra}. */
    public void setImage(String image) {
        this.image = image;
    }

    public String getWorkDirectory() {
        return workDirectory;
    }

    /** Where the adapter keeps the booted copy of the image and the exported deployments. */
    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }

    public boolean isCopyImage() {
        return copyImage;
    }

    /**
     * Whether to boot a private copy of the image (the default) instead of the image in place. The copy
     * keeps a rebuild of distribution/ or a second boot of the same image (both write the image's var/,
     * which holds the framework cache) from changing files under the running system.
     */
    public void setCopyImage(boolean copyImage) {
        this.copyImage = copyImage;
    }

    public String getArch() {
        return arch;
    }

    /** The machine to boot ({@code --arch}): x86_64, riscv64 or ppc64; empty for the image's default, the host's. */
    public void setArch(String arch) {
        this.arch = arch;
    }

    public String getBootArguments() {
        return bootArguments;
    }

    /** Flags after {@code astra boot}, separated by spaces, e.g. {@code --arch riscv64 --cpus 2}. */
    public void setBootArguments(String bootArguments) {
        this.bootArguments = bootArguments;
    }

    public int getBootTimeoutSeconds() {
        return bootTimeoutSeconds;
    }

    /** From launch to the first prompt. */
    public void setBootTimeoutSeconds(int bootTimeoutSeconds) {
        this.bootTimeoutSeconds = bootTimeoutSeconds;
    }

    public int getCommandTimeoutSeconds() {
        return commandTimeoutSeconds;
    }

    /** From sending a console line to the next prompt. */
    public void setCommandTimeoutSeconds(int commandTimeoutSeconds) {
        this.commandTimeoutSeconds = commandTimeoutSeconds;
    }

    public int getShutdownTimeoutSeconds() {
        return shutdownTimeoutSeconds;
    }

    /** From {@code shutdown} to the exit of the process. */
    public void setShutdownTimeoutSeconds(int shutdownTimeoutSeconds) {
        this.shutdownTimeoutSeconds = shutdownTimeoutSeconds;
    }
}

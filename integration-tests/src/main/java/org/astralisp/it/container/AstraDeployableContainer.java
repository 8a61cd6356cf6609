package org.astralisp.it.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

/**
 * Arquillian's view of an AstraLisp image: {@link #start()} boots the image as a
 * child process and waits for its console; {@link #deploy(Archive)} installs and
 * starts a bundle through that console, exactly as a user types
 * {@code install PATH} and {@code start ID}; {@link #stop()} types
 * {@code shutdown} and insists on a clean exit.
 *
 * <p>Tests run in the test JVM and talk to the image only through its console
 * (the Local protocol, {@code @RunAsClient}, {@code @Deployment(testable = false)};
 * STACK pitfall 13): nothing of the test class is deployed into the image.
 */
public final class AstraDeployableContainer implements DeployableContainer<AstraContainerConfiguration> {

    private AstraContainerConfiguration configuration;
    private AstraImage image;
    private AstraConsole console;
    private final Map<String, InstalledBundle> deployed = new ConcurrentHashMap<>();

    @Override
    public Class<AstraContainerConfiguration> getConfigurationClass() {
        return AstraContainerConfiguration.class;
    }

    @Override
    public void setup(AstraContainerConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    /** Boots the image (a fresh copy of it, unless configured otherwise) and waits for its first prompt. */
    @Override
    public void start() throws LifecycleException {
        Path root;
        ImageProcess process;
        try {
            root = configuration.isCopyImage()
                    ? ImageCopy.copy(configuration.imagePath(), configuration.workPath().resolve("image"))
                    : configuration.imagePath();
            Files.createDirectories(deploymentsDirectory());
            process = ImageProcess.launch(root, bootArguments());
        } catch (IOException e) {
            throw new LifecycleException("cannot boot " + configuration.imagePath() + ": " + e.getMessage(), e);
        }
        AstraConsole booting = new AstraConsole(process, Duration.ofSeconds(configuration.getCommandTimeoutSeconds()));
        try {
            booting.awaitBoot(Duration.ofSeconds(configuration.getBootTimeoutSeconds()));
        } catch (AstraConsoleException e) {
            throw new LifecycleException("the image at " + root + " did not boot to its prompt: " + e.getMessage(), e);
        }
        image = new AstraImage(root);
        console = booting;
    }

    /** Shuts the image down through its console and checks that it exited cleanly. */
    @Override
    public void stop() throws LifecycleException {
        AstraConsole stopping = console;
        console = null;
        image = null;
        deployed.clear();
        if (stopping == null) {
            return;
        }
        if (stopping.killedBecause() != null) {
            throw new LifecycleException("no clean shutdown: " + stopping.killedBecause());
        }
        try {
            stopping.shutdown(Duration.ofSeconds(configuration.getShutdownTimeoutSeconds()));
        } catch (AstraConsoleException e) {
            throw new LifecycleException(e.getMessage(), e);
        }
    }

    /** {@code install PATH} of the exported archive, then {@code start ID}; an install that cannot start is undone. */
    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        AstraConsole live = liveConsole();
        Path jar = deploymentsDirectory().resolve(archive.getName());
        archive.as(ZipExporter.class).exportTo(jar.toFile(), true);
        try {
            String installReply = live.run("install " + AstraConsole.quote(jar.toString()));
            InstalledBundle bundle = InstalledBundle.parse(installReply)
                    .orElseThrow(() -> new DeploymentException(archive.getName() + " not deployed: " + installReply));
            String startReply = live.run("start " + bundle.id());
            if (!startReply.equals("started " + bundle)) {
                String undo = live.run("uninstall " + bundle.id());
                throw new DeploymentException(archive.getName() + " not deployed: " + startReply
                        + (undo.startsWith("uninstalled ") ? "" : " (and it stays installed: " + undo + ")"));
            }
            deployed.put(archive.getName(), bundle);
            return new ProtocolMetaData();
        } catch (AstraConsoleException e) {
            throw new DeploymentException(archive.getName() + " not deployed: " + e.getMessage(), e);
        }
    }

    /**
     * {@code uninstall ID}. A bundle the test has already uninstalled through the
     * console is gone as undeploy wants it (bundle ids are never reused).
     */
    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        AstraConsole live = liveConsole();
        InstalledBundle bundle = deployed.remove(archive.getName());
        if (bundle == null) {
            throw new DeploymentException(archive.getName() + " is not deployed");
        }
        try {
            String reply = live.run("uninstall " + bundle.id());
            if (!reply.startsWith("uninstalled ") && !reply.equals("uninstall: no bundle with id " + bundle.id())) {
                throw new DeploymentException(archive.getName() + " not undeployed: " + reply);
            }
        } catch (AstraConsoleException e) {
            throw new DeploymentException(archive.getName() + " not undeployed: " + e.getMessage(), e);
        }
    }

    /** The console of the running image, for {@link AstraConsoleProvider}. */
    AstraConsole console() {
        return console;
    }

    /** The running image, for {@link AstraImageProvider}. */
    AstraImage image() {
        return image;
    }

    private AstraConsole liveConsole() throws DeploymentException {
        AstraConsole current = console;
        if (current == null) {
            throw new DeploymentException("the AstraLisp image is not running");
        }
        return current;
    }

    private Path deploymentsDirectory() {
        return configuration.workPath().resolve("deployments");
    }

    private List<String> bootArguments() {
        List<String> arguments = new ArrayList<>();
        if (!configuration.getArch().isEmpty()) {
            arguments.add("--arch");
            arguments.add(configuration.getArch());
        }
        String more = configuration.getBootArguments().strip();
        if (!more.isEmpty()) {
            arguments.addAll(Arrays.asList(more.split("\\s+")));
        }
        return arguments;
    }
}

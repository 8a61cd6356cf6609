package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration refuses what cannot boot before anything is started. */
class AstraContainerConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void rejectsADirectoryWithoutLauncherAndSaysHowToBuildTheImage() {
        AstraContainerConfiguration configuration = FakeImage.configuration(directory, directory, 5);

        ConfigurationException refused = assertThrows(ConfigurationException.class, configuration::validate);

        assertTrue(refused.getMessage().startsWith("no AstraLisp image at " + directory), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("build it with ./mvnw -B install -DskipTests"), refused.getMessage());
    }

    @Test
    void rejectsATimeoutThatIsNotPositive() throws IOException {
        FakeImage.prompting(directory, "");
        AstraContainerConfiguration configuration = FakeImage.configuration(directory, directory, 5);
        configuration.setCommandTimeoutSeconds(0);

        ConfigurationException refused = assertThrows(ConfigurationException.class, configuration::validate);

        assertEquals("commandTimeoutSeconds must be positive, was 0", refused.getMessage());
    }

    @Test
    void rejectsAMachineOutsideTheTestMatrix() throws IOException {
        FakeImage.prompting(directory, "");
        AstraContainerConfiguration configuration = FakeImage.configuration(directory, directory, 5);
        configuration.setArch("sparc64");

        ConfigurationException refused = assertThrows(ConfigurationException.class, configuration::validate);

        assertEquals("arch sparc64 is not one of x86_64, riscv64, ppc64", refused.getMessage());
    }
}

package org.astralisp.it.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.astralisp.it.testbundles.greeting.GreetingCommand;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;

/** The manifest bnd computes for a ShrinkWrap archive of classes. */
class BundleWrapperTest {

    private static JavaArchive greeting() {
        return ShrinkWrap.create(JavaArchive.class, "greeting.jar").addClass(GreetingCommand.class);
    }

    private static Attributes manifestOf(JavaArchive bundle) throws IOException {
        try (InputStream in = bundle.get("META-INF/MANIFEST.MF").getAsset().openStream()) {
            return new Manifest(in).getMainAttributes();
        }
    }

    @Test
    void namesTheBundleAndImportsTheBootSpiAtItsMajorVersion() throws IOException {
        Attributes manifest = manifestOf(BundleWrapper.wrap(greeting(), "org.astralisp.it.greeting", "1.2.3"));

        assertEquals("org.astralisp.it.greeting", manifest.getValue("Bundle-SymbolicName"));
        assertEquals("1.2.3", manifest.getValue("Bundle-Version"));
        assertEquals("org.astralisp.boot.spi;version=\"[1.1,2)\"", manifest.getValue("Import-Package"));
    }

    @Test
    void describesTheDeclarativeServicesComponent() throws IOException {
        JavaArchive bundle = BundleWrapper.wrap(greeting(), "org.astralisp.it.greeting", "1.0.0");
        String descriptor = "OSGI-INF/" + GreetingCommand.class.getName() + ".xml";

        assertEquals(descriptor, manifestOf(bundle).getValue("Service-Component"));
        assertNotNull(bundle.get(descriptor), "no component descriptor");
        assertTrue(manifestOf(bundle).getValue("Require-Capability").contains("(osgi.extender=osgi.component)"));
    }

    @Test
    void keepsTheArchiveNameAndItsClasses() {
        JavaArchive bundle = BundleWrapper.wrap(greeting(), "org.astralisp.it.greeting", "1.0.0");

        assertEquals("greeting.jar", bundle.getName());
        assertNotNull(bundle.get("org/astralisp/it/testbundles/greeting/GreetingCommand.class"));
    }

    @Test
    void rejectsAVersionThatIsNotAnOsgiVersion() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> BundleWrapper.wrap(greeting(), "org.astralisp.it.greeting", "one"));

        assertTrue(refused.getMessage().startsWith("bnd cannot make bundle org.astralisp.it.greeting of greeting.jar: "),
                refused.getMessage());
    }
}

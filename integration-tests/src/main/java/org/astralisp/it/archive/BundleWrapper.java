package org.astralisp.it.archive;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * Makes an OSGi bundle of a ShrinkWrap archive of classes, with the manifest
 * computed by bnd from the classes — the library under the bnd-maven-plugin that
 * builds the image's own bundles, with the same instructions as
 * {@code bundles/pom.xml}.
 *
 * <p>Why bnd and not a manifest written by the test or by a small builder here:
 * the manifest must say what the classes need, and bnd reads that from the
 * bytecode. It lists every referenced package in {@code Import-Package} with the
 * version range of the exporter it finds on the class path ({@code [1.0,2)} for
 * the boot SPI, {@code [1.10,2)} for the framework), writes the Declarative
 * Services descriptor and {@code Service-Component} header for
 * {@code @Component} classes, and the {@code osgi.ee} and {@code osgi.extender}
 * requirements. A hand-written manifest would drift from the code it describes;
 * a builder of our own would be a second, partial bnd.
 *
 * <p>The class path bnd reads export versions from is this JVM's: the jars the
 * test bundles were compiled against.
 */
public final class BundleWrapper {

    private BundleWrapper() {
    }

    /**
     * Returns a bundle with the classes and resources of {@code classes}, named
     * {@code symbolicName} at {@code version}, with a bnd-generated manifest.
     *
     * @throws IllegalStateException if bnd reports an error or a warning (an
     *         unresolvable reference, a malformed component), with bnd's messages
     */
    public static JavaArchive wrap(JavaArchive classes, String symbolicName, String version) {
        String what = "bnd cannot make bundle " + symbolicName + " of " + classes.getName() + ": ";
        List<String> problems = new ArrayList<>();
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        try (Builder builder = new Builder();
             Jar content = new Jar(classes.getName(), classes.as(ZipExporter.class).exportAsInputStream())) {
            builder.setJar(content);
            builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
            builder.setProperty(Constants.BUNDLE_VERSION, version);
            builder.setProperty(Constants.NOEXTRAHEADERS, "true");
            builder.setProperty(Constants.REPRODUCIBLE, "true");
            builder.setProperty(Constants.REMOVEHEADERS, "Private-Package, Include-Resource");
            builder.setClasspath(testClassPathJars());
            Jar built = builder.build();
            problems.addAll(builder.getErrors());
            problems.addAll(builder.getWarnings());
            if (problems.isEmpty()) {
                built.write(bundle);
            }
        } catch (Exception e) {
            throw new IllegalStateException(what + e, e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(what + String.join("; ", problems));
        }
        return ShrinkWrap.create(ZipImporter.class, classes.getName())
                .importFrom(new ByteArrayInputStream(bundle.toByteArray()))
                .as(JavaArchive.class);
    }

    /** The jars on this JVM's class path (directories hold no versioned exports; pom entries are not zips). */
    private static File[] testClassPathJars() {
        List<File> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (entry.endsWith(".jar") && file.isFile()) {
                jars.add(file);
            }
        }
        return jars.toArray(File[]::new);
    }
}

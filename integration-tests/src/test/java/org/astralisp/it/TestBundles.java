package org.astralisp.it;

import org.astralisp.it.archive.BundleWrapper;
import org.astralisp.it.testbundles.counterload.CounterLoadCommand;
import org.astralisp.it.testbundles.greeting.GreetingCommand;
import org.astralisp.it.testbundles.unresolvable.AbsentServiceCommand;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/** The bundles the integration tests deploy, built from the test classes in {@code testbundles}. */
final class TestBundles {

    static final String GREETING = "org.astralisp.it.greeting";
    static final String COUNTER_LOAD = "org.astralisp.it.counterload";
    static final String UNRESOLVABLE = "org.astralisp.it.unresolvable";

    private TestBundles() {
    }

    /** Contributes {@code greet NAME}. */
    static JavaArchive greeting() {
        return BundleWrapper.wrap(ShrinkWrap.create(JavaArchive.class, "greeting.jar")
                .addPackage(GreetingCommand.class.getPackage()), GREETING, "1.0.0");
    }

    /** Contributes {@code counter-load}; imports the sample counter's API. */
    static JavaArchive counterLoad() {
        return BundleWrapper.wrap(ShrinkWrap.create(JavaArchive.class, "counter-load.jar")
                .addPackage(CounterLoadCommand.class.getPackage()), COUNTER_LOAD, "1.0.0");
    }

    /** Imports {@code org.astralisp.it.testbundles.absent}, which nothing exports. */
    static JavaArchive unresolvable() {
        return BundleWrapper.wrap(ShrinkWrap.create(JavaArchive.class, "unresolvable.jar")
                .addPackage(AbsentServiceCommand.class.getPackage()), UNRESOLVABLE, "1.0.0");
    }

    /** A plain library jar: a manifest without any bundle headers, and a resource. */
    static JavaArchive plainLibrary() {
        return ShrinkWrap.create(JavaArchive.class, "plain-library.jar")
                .setManifest(new StringAsset("Manifest-Version: 1.0\nImplementation-Title: a plain library\n"))
                .addAsResource(new StringAsset("not a bundle\n"), "README.txt");
    }
}

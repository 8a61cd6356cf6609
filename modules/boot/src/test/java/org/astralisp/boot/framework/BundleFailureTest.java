package org.astralisp.boot.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleException;

class BundleFailureTest {

    @Test
    void namesTheMissingPackageOfAResolveError() {
        BundleException e = new BundleException("Unable to resolve org.x [5](R 5.0): missing requirement [org.x [5](R 5.0)]"
                + " osgi.wiring.package; (&(osgi.wiring.package=org.nowhere)(version>=1.0.0)) Unresolved requirements: [...]",
                BundleException.RESOLVE_ERROR);
        assertEquals("cannot resolve: missing package org.nowhere", BundleFailure.reason(e));
    }

    @Test
    void namesAMissingRequiredBundle() {
        BundleException e = new BundleException("Unable to resolve a [1](R 1.0): missing requirement [a [1](R 1.0)]"
                + " osgi.wiring.bundle; (osgi.wiring.bundle=org.other)", BundleException.RESOLVE_ERROR);
        assertEquals("cannot resolve: missing required bundle org.other", BundleFailure.reason(e));
    }

    @Test
    void namesAnyOtherMissingCapability() {
        BundleException e = new BundleException("Unable to resolve a [1](R 1.0): missing requirement [a [1](R 1.0)]"
                + " osgi.extender; (&(osgi.extender=osgi.component)(version>=1.5.0))", BundleException.RESOLVE_ERROR);
        assertEquals("cannot resolve: missing osgi.extender osgi.component", BundleFailure.reason(e));
    }

    @Test
    void keepsTheFirstLineOfAnUnrecognisedResolveError() {
        BundleException e = new BundleException("Something odd\nmore detail", BundleException.RESOLVE_ERROR);
        assertEquals("cannot resolve: Something odd", BundleFailure.reason(e));
    }

    @Test
    void reportsTheCauseOfAnActivatorFailure() {
        BundleException e = new BundleException("Activator start error", BundleException.ACTIVATOR_ERROR,
                new IllegalStateException("queue 0 did not come up"));
        assertEquals("IllegalStateException: queue 0 did not come up", BundleFailure.reason(e));
    }

    @Test
    void reportsAPlainException() {
        assertEquals("already stopped", BundleFailure.reason(new IllegalStateException("already stopped")));
        assertEquals("java.lang.NullPointerException", BundleFailure.reason(new NullPointerException()));
    }
}

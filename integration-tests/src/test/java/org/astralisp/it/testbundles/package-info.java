/**
 * Classes that the integration tests package into bundles with ShrinkWrap and
 * {@link org.astralisp.it.archive.BundleWrapper}, one bundle per subpackage.
 * They run inside the image, not in the test JVM: each talks to the system only
 * through OSGi services and the console commands it registers.
 */
package org.astralisp.it.testbundles;

/** The sample counter service, used to demonstrate hot swap. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.sample.counter.api;

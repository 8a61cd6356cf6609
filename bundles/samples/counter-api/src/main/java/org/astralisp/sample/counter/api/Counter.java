package org.astralisp.sample.counter.api;

/** A monotonically increasing counter that survives hot swaps of its implementation. */
@org.osgi.annotation.versioning.ProviderType
public interface Counter {

    /** Adds one and returns the new value. */
    long increment();

    /** The current value. */
    long value();

    /** Which implementation answers, e.g. {@code counter 1.0.0}. */
    String implementation();
}

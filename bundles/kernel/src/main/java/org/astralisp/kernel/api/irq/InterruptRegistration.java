package org.astralisp.kernel.api.irq;

/**
 * An installed handler. Masking and affinity apply to the line, and so to
 * every handler sharing it.
 */
public interface InterruptRegistration extends AutoCloseable {

    int line();

    /** Masks the line: it is not delivered until {@link #unmask()}. An interrupt raised meanwhile stays pending. */
    void mask();

    void unmask();

    /** Delivers the line to {@code cpu} from now on. */
    void setAffinity(int cpu);

    void setPriority(int priority);

    /** How many times this line has been handled on {@code cpu}. */
    long count(int cpu);

    /** Removes the handler; the last one to go masks the line. Idempotent. */
    @Override
    void close();
}

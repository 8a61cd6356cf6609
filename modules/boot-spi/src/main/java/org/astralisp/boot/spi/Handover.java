package org.astralisp.boot.spi;

/**
 * A component that holds state worth keeping across a hot swap of its bundle
 * (a driver with queues, a filesystem with open files, a socket table).
 * Register it as an OSGi service from the bundle being swapped.
 *
 * <p>Protocol, driven by the loader's hot-swap coordinator:
 * <ol>
 *   <li>{@link #quiesce()}: stop accepting new work (calls then throw
 *       {@link ServiceQuiescedException}), let in-flight work finish, and return a
 *       snapshot of the state. After it returns the component must not change its
 *       state.</li>
 *   <li>The coordinator deposits the snapshot under {@link #handoverKey()} in the
 *       {@link HandoverRegistry} and updates the bundle.</li>
 *   <li>The new version claims the snapshot from the registry when it activates,
 *       and serves from it.</li>
 *   <li>If the swap is abandoned before the old version stops (for example the
 *       new jar is rejected), the coordinator calls {@link #resume()} instead and
 *       the old version continues with the state it has.</li>
 * </ol>
 * The snapshot holds only JDK value types ({@link HandoverState}), because the old
 * and the new version load their own classes from different class loaders.
 */
public interface Handover {

    /** The name under which the state is handed over; the same in every version. */
    String handoverKey();

    /**
     * Stops new work, drains work in flight, and returns the state.
     *
     * @throws HandoverException if the component cannot reach a quiet point;
     *         the coordinator then resumes every component it had quiesced and
     *         abandons the swap
     */
    HandoverState quiesce() throws HandoverException;

    /** Undoes {@link #quiesce()}: the swap was abandoned, serve again. */
    void resume();
}

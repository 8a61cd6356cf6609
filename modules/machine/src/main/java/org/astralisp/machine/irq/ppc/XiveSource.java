package org.astralisp.machine.irq.ppc;

import org.astralisp.machine.irq.TriggerMode;

/**
 * One source of the {@link Xive}: its configuration (priority, target server, mask) and its
 * event state, modelled on POWER9 XIVE's event state buffer bits P and Q.
 *
 * <ul>
 *   <li>P: an event was accepted and has not been ended by an EOI. A source with P set and not
 *       yet acknowledged is <em>presented</em> to its server if unmasked and of a priority more
 *       favoured (numerically lower) than the server's CPPR.</li>
 *   <li>Q: another event arrived while P was set (edge sources only); the EOI turns it into a
 *       new event.</li>
 *   <li>in service: acknowledged by {@link #servedBy()} and waiting for its EOI.</li>
 * </ul>
 *
 * <p>Level sources (LSIs) take an event while their line is asserted and P is clear, and again
 * at the EOI if the line is still asserted. Edge sources (MSIs, IPIs) take one per rising edge
 * or software trigger. Events on a masked source are kept (P), and presented once unmasked.
 *
 * <p>Not thread-safe: guarded by the owning {@link Xive}'s monitor.
 */
final class XiveSource {

    static final int PRIORITY = 0xFF;
    static final int SERVER_SHIFT = 8;
    static final int SERVER = 0xFFFF << SERVER_SHIFT;
    static final int MASKED = 1 << 24;
    static final int LEVEL = 1 << 28;
    static final int IN_SERVICE = 1 << 29;
    static final int Q = 1 << 30;
    static final int P = 1 << 31;
    /** The configuration bits software writes: priority, server, mask. */
    static final int WRITABLE = PRIORITY | SERVER | MASKED;

    private TriggerMode trigger;
    private int configuration;
    private boolean asserted;
    private boolean p;
    private boolean q;
    private int servedBy = -1;

    /** A masked source of least-favoured priority 0xFF aimed at {@code server}. */
    XiveSource(TriggerMode trigger, int server) {
        this.trigger = trigger;
        this.configuration = MASKED | PRIORITY | (server << SERVER_SHIFT);
    }

    /** Fixes how the line is sampled when a device is wired to it, before any event. */
    void wire(TriggerMode mode) {
        trigger = mode;
    }

    /** The configuration word as software reads it. */
    int word() {
        return configuration | (trigger == TriggerMode.LEVEL ? LEVEL : 0) | (servedBy >= 0 ? IN_SERVICE : 0)
                | (q ? Q : 0) | (p ? P : 0);
    }

    void configure(int word) {
        configuration = word & WRITABLE;
    }

    int priority() {
        return configuration & PRIORITY;
    }

    int server() {
        return (configuration & SERVER) >>> SERVER_SHIFT;
    }

    boolean presentedTo(int server, int cppr) {
        return p && servedBy < 0 && (configuration & MASKED) == 0 && server() == server && priority() < cppr;
    }

    /** The line changed; level sources take an event while asserted, edge sources on a rising edge. */
    void lineChanged(boolean level) {
        boolean rising = level && !asserted;
        asserted = level;
        if (trigger == TriggerMode.LEVEL ? level : rising) {
            event();
        }
    }

    /** An event: sets P, or for an edge source with P set already, Q. */
    void event() {
        if (!p) {
            p = true;
        } else if (trigger == TriggerMode.EDGE) {
            q = true;
        }
    }

    void acknowledge(int server) {
        servedBy = server;
    }

    int servedBy() {
        return servedBy;
    }

    /** The EOI: P clears, then a level still asserted or a queued edge is a new event. */
    void endOfInterrupt() {
        servedBy = -1;
        p = false;
        if (trigger == TriggerMode.LEVEL ? asserted : q) {
            q = false;
            p = true;
        }
    }
}

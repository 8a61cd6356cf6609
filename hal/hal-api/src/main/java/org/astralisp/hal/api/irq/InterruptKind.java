package org.astralisp.hal.api.irq;

/** What an architectural interrupt cause turned out to be, once claimed. */
public enum InterruptKind {
    /** A device line of the controller; {@link Interrupt#line()} names it. */
    EXTERNAL,
    /** This CPU's {@link Timer} expired. */
    TIMER,
    /** Another CPU (or this one) called {@link InterruptController#sendIpi}. */
    IPI,
    /** The controller had nothing to deliver after all (x86 spurious vector, an empty claim or ACK). */
    SPURIOUS,
    /** A cause this driver never programmed; {@link InterruptController#complete} still ends it. */
    UNKNOWN
}

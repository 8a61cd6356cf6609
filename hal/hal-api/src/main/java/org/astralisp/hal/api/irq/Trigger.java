package org.astralisp.hal.api.irq;

/** How a device line signals: held while the condition lasts, or one event per rising edge. */
public enum Trigger {
    LEVEL,
    EDGE
}

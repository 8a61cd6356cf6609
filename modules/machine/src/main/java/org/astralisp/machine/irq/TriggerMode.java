package org.astralisp.machine.irq;

/**
 * How an interrupt controller input samples its line. A level input requests service while
 * the line is asserted and asks again after the end of interrupt if it still is; an edge
 * input requests service once per rising edge.
 */
public enum TriggerMode {
    LEVEL,
    EDGE
}

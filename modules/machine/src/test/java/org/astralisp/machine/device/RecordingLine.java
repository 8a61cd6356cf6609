package org.astralisp.machine.device;

import org.astralisp.machine.port.IrqLine;

/** An interrupt line for device tests: remembers its level, counts rising edges, fails on a redundant change. */
public final class RecordingLine implements IrqLine {

    private volatile boolean asserted;
    private volatile int raises;

    @Override
    public synchronized void raise() {
        if (asserted) {
            throw new AssertionError("raised while already asserted");
        }
        asserted = true;
        raises++;
    }

    @Override
    public synchronized void lower() {
        if (!asserted) {
            throw new AssertionError("lowered while not asserted");
        }
        asserted = false;
    }

    public boolean asserted() {
        return asserted;
    }

    public int raises() {
        return raises;
    }
}

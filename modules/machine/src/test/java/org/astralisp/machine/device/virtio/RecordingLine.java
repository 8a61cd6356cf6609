package org.astralisp.machine.device.virtio;

import org.astralisp.machine.port.IrqLine;

/** An interrupt line that remembers its level, counts rising edges and fails on a redundant change. */
final class RecordingLine implements IrqLine {

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

    boolean asserted() {
        return asserted;
    }

    int raises() {
        return raises;
    }
}

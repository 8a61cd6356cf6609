package org.astralisp.machine.cpu;

/**
 * Unwinds a vCPU's thread when the machine is powered off: thrown at the
 * vCPU's next safepoint ({@link VirtualCpu#waitForInterrupt()},
 * {@link VirtualCpu#pollInterrupts()}) and caught where the thread began. It
 * is an {@link Error} so that OS code catching {@link Exception} lets it pass,
 * and it has no stack trace: it is a control transfer, not a failure.
 */
final class PowerOff extends Error {

    PowerOff(int cpu) {
        super("vcpu" + cpu + " powered off", null, false, false);
    }
}

package org.astralisp.kernel.irq;

import java.util.List;
import org.astralisp.hal.api.irq.Trigger;

/**
 * The counters {@code interrupts} prints, read one after the other (each
 * counter is exact; the set is not one instant's).
 *
 * @param controller the controller's name
 * @param cpus how many CPUs
 * @param lines the requested lines, in line order
 * @param timer timer interrupts whose deadline had passed, per CPU
 * @param ipis inter-processor interrupts taken, per CPU
 * @param crossCalls cross-call functions run, per CPU (by IPI, in the idle loop or inline)
 * @param spurious spurious interrupts, per CPU: nothing to claim, a line with no handler, a timer with no deadline
 * @param unknown causes the controller did not know, per CPU
 */
record InterruptSnapshot(String controller, int cpus, List<Line> lines, long[] timer, long[] ipis, long[] crossCalls,
        long[] spurious, long[] unknown) {

    /** One requested line: its per-CPU counts, trigger, whether masked, and its handlers' names. */
    record Line(int line, long[] counts, Trigger trigger, boolean masked, List<String> names) {
    }
}

package org.astralisp.kernel.sched;

import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.SchedulingAttributes;

/**
 * The fair policy's load weights, Linux's {@code sched_prio_to_weight}
 * (kernel/sched/core.c): nice 0 is 1024, and each nice step changes the
 * weight by about 1.25, so one step less nice is about 10 % more CPU against
 * a thread that stays put. The idle class gets Linux's
 * {@code WEIGHT_IDLEPRIO}, 3.
 */
final class NiceWeights {

    static final int NICE_0 = 1024;
    static final int IDLE = 3;

    private static final int[] WEIGHTS = {
        /* -20 */ 88761, 71755, 56483, 46273, 36291,
        /* -15 */ 29154, 23254, 18705, 14949, 11916,
        /* -10 */ 9548, 7620, 6100, 4904, 3906,
        /*  -5 */ 3121, 2501, 1991, 1586, 1277,
        /*   0 */ 1024, 820, 655, 526, 423,
        /*   5 */ 335, 272, 215, 172, 137,
        /*  10 */ 110, 87, 70, 56, 45,
        /*  15 */ 36, 29, 23, 18, 15,
    };

    private NiceWeights() {
    }

    static int weight(SchedulingAttributes attributes) {
        if (attributes.priorityClass() == PriorityClass.IDLE) {
            return IDLE;
        }
        return WEIGHTS[attributes.nice() - SchedulingAttributes.MIN_NICE];
    }
}

package org.astralisp.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pids go round from 2, skip every id in use, and run out. */
class PidAllocatorTest {

    @Test
    void pidsAreHandedOutInTurnAndNotReusedAtOnce() {
        PidAllocator pids = new PidAllocator(6);
        Set<Integer> used = Set.of(3);
        assertEquals(List.of(2, 4, 5, 2), List.of(pids.allocate(used::contains), pids.allocate(used::contains),
                pids.allocate(used::contains), pids.allocate(used::contains)), "3 skipped; after 5 back to 2");
    }

    @Test
    void aFullPidSpaceAnswersMinusOne() {
        assertEquals(-1, new PidAllocator(5).allocate(pid -> true));
    }

    @Test
    void theDefaultSpaceIsLinuxsPidMax() {
        PidAllocator pids = new PidAllocator();
        assertEquals(PidAllocator.PID_MAX - 1, pids.allocate(pid -> pid < PidAllocator.PID_MAX - 1));
        assertEquals(2, pids.allocate(pid -> false), "wrapped below pid_max to the first pid");
    }
}

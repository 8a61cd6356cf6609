package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.sched.SchedulerOnMachine.jain;
import static org.astralisp.kernel.sched.SchedulerOnMachine.spinner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fair policy on a real machine, by the CPU time the scheduler accounts
 * (wall time of each run on its vCPU; a vCPU the host takes away from all its
 * threads alike does not skew their shares).
 */
@Timeout(60)
class FairShareTest {

    @Test
    void eightCpuBoundThreadsOfEqualWeightOnTwoVcpusGetEqualShares() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2, new FairSharePolicy())) {
            AtomicBoolean stop = new AtomicBoolean();
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                threads.add(kernel.start("cpu-bound-" + i, SchedulingAttributes.DEFAULT, spinner(stop)));
            }
            Thread.sleep(5000);
            stop.set(true);
            long[] shares = new long[threads.size()];
            for (int i = 0; i < shares.length; i++) {
                awaitEnd(threads.get(i));
                shares[i] = threads.get(i).cpuTime().toNanos();
            }
            double index = jain(shares);
            String figures = String.format(Locale.ROOT, "Jain %.4f, CPU ms %s", index,
                    java.util.Arrays.stream(shares).mapToObj(n -> Long.toString(n / 1_000_000)).toList());
            System.out.println("fair share, 8 threads on 2 vCPUs for 5 s: " + figures);
            assertTrue(index >= 0.95, "Jain's fairness index below 0.95: " + figures);
            assertEquals("fair", kernel.scheduler.policy());
        }
    }

    @Test
    void niceZeroAgainstNiceFiveGetsCpuInTheRatioOfTheirWeights() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1, new FairSharePolicy())) {
            AtomicBoolean stop = new AtomicBoolean();
            KernelThread nice0 = kernel.start(0, "nice 0", SchedulingAttributes.DEFAULT, spinner(stop));
            KernelThread nice5 = kernel.start(0, "nice 5", SchedulingAttributes.DEFAULT.withNice(5), spinner(stop));
            Thread.sleep(4000);
            stop.set(true);
            awaitEnd(nice0);
            awaitEnd(nice5);
            double ratio = (double) nice0.cpuTime().toNanos() / nice5.cpuTime().toNanos();
            double expected = 1024.0 / 335;
            System.out.printf(Locale.ROOT, "fair share, nice 0 : nice 5 on one vCPU: %.3f (weights %.3f)%n", ratio,
                    expected);
            assertEquals(expected, ratio, expected * 0.10, "CPU time of nice 0 over nice 5 ("
                    + nice0.cpuTime().toMillis() + " ms / " + nice5.cpuTime().toMillis() + " ms)");
        }
    }
}

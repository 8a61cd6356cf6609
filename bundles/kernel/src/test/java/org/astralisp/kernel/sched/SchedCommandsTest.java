package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.sched.CpuStatistics;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.testing.Eventually;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's {@code sched} and {@code sched-policy}. */
@Timeout(60)
class SchedCommandsTest {

    private static String run(ConsoleCommand command, String... args) throws CommandException {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            command.execute(List.of(args), out);
        }
        return text.toString();
    }

    @Test
    void schedRendersThePolicyOneRowPerCpuAndNoThreads() {
        assertEquals("""
                policy fair

                CPU   queued  running                switches      ticks   pulled
                0          2  shell                     12345        678        1
                1          0  -                             0          0        0

                0 kernel threads
                """, SchedCommand.render("fair", List.of(new CpuStatistics(0, 2, "shell", 12345, 678, 1),
                new CpuStatistics(1, 0, null, 0, 0, 0)), List.of(), 2));
    }

    @Test
    void schedListsLiveThreadsWithTheirStateCpuTimeAndAttributes() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2, new FairSharePolicy())) {
            WaitQueue never = new WaitQueue("never");
            KernelThread waiter = kernel.start(1, "waiter", SchedulingAttributes.DEFAULT
                    .withPriority(PriorityClass.REALTIME, 7).withNice(-3), () -> never.await(() -> false));
            Eventually.eventually("the waiter blocks", () -> waiter.state() == KernelThread.State.BLOCKED);
            KernelThread fresh = kernel.scheduler.thread(0, "fresh", () -> { });
            String text = run(new SchedCommand(kernel.scheduler));
            assertTrue(text.startsWith("policy fair\n"), text);
            assertTrue(text.contains("2 kernel threads\n"), text);
            assertTrue(text.matches("(?s).*\nwaiter +BLOCKED +1 +\\d+\\.\\d ms  realtime +7 +-3  all\n.*"), text);
            assertTrue(text.matches("(?s).*\nfresh +NEW +0 +0\\.0 ms  normal +0 +0  0\n.*"), text);
            fresh.start();
            awaitEnd(fresh);
            assertEquals("takes no arguments, got 'x y' (usage: sched)", assertThrows(CommandException.class,
                    () -> run(new SchedCommand(kernel.scheduler), "x", "y")).getMessage());
        }
    }

    @Test
    void schedPolicyListsMarksSwapsAndRefusesUnknownNames() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1, new RoundRobinPolicy())) {
            SchedPolicyCommand command = new SchedPolicyCommand(kernel.scheduler);
            assertEquals("  fair\n  priority\n* rr\n", run(command));
            assertEquals("policy rr -> fair\n", run(command, "fair"));
            assertEquals("* fair\n  priority\n  rr\n", run(command));
            assertEquals("no scheduling policy 'cfs' (policies: fair, priority, rr)",
                    assertThrows(CommandException.class, () -> run(command, "cfs")).getMessage());
            assertEquals("fair", kernel.scheduler.policy(), "a refused swap changes nothing");
            assertEquals("takes at most one policy name, got 'rr fair' (usage: sched-policy [NAME])",
                    assertThrows(CommandException.class, () -> run(command, "rr", "fair")).getMessage());
            assertEquals("sched-policy", command.name());
            assertTrue(command.synopsis().startsWith("sched-policy [NAME]"));
        }
    }
}

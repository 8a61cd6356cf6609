package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.astralisp.it.container.AstraConsole;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The booted kernel's scheduler at the console: {@code sched} shows the policy
 * and one row per vCPU, and {@code sched-policy} swaps the policy live
 * (docs/kernel.md, "The scheduler and its policies").
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SchedulerIT {

    private static final Pattern CPU_ROW = Pattern.compile("\\d+ +\\d+  \\S+ +\\d+ +\\d+ +\\d+");

    @ArquillianResource
    private AstraConsole console;

    @Test
    void schedShowsEveryVcpuAndSchedPolicySwapsThePolicyLive() {
        assertTrue(console.run("sched-policy rr").matches("policy \\S+ -> rr"), "back to the boot policy");
        String before = console.run("sched");
        List<String> lines = before.lines().toList();
        assertEquals("policy rr", lines.getFirst(), before);
        assertTrue(lines.contains("CPU   queued  running                switches      ticks   pulled"), before);
        assertTrue(lines.stream().anyMatch(line -> CPU_ROW.matcher(line).matches()), "a row per vCPU: " + before);
        assertTrue(lines.stream().anyMatch(line -> line.matches("\\d+ kernel threads?")), before);

        assertEquals("policy rr -> fair", console.run("sched-policy fair"));
        assertEquals("policy fair", console.run("sched").lines().findFirst().orElseThrow());
        assertEquals(List.of("* fair", "  priority", "  rr"), console.run("sched-policy").lines().toList());
        assertEquals("sched-policy: no scheduling policy 'lottery' (policies: fair, priority, rr)",
                console.run("sched-policy lottery"));
        assertEquals("policy fair", console.run("sched").lines().findFirst().orElseThrow(),
                "a refused swap changes nothing");
    }
}

package org.astralisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.astralisp.it.container.AstraConsole;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The booted kernel's processes at the console (docs/kernel.md, "Processes,
 * signals and syscalls"): {@code ps -T} shows the kernel (pid 0) with its
 * workers, init with its reaper and the console process, and {@code kill}
 * refuses the kernel, init and pids that do not exist.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProcessesIT {

    @ArquillianResource
    private AstraConsole console;

    @Test
    void psShowsTheKernelsThreadsInitAndTheConsoleProcess() {
        String ps = console.run("ps -T");
        List<String> lines = ps.lines().toList();
        assertEquals("  PID  PPID  PGID   SID   UID S       TIME  PAGES COMMAND", lines.getFirst(), ps);
        assertTrue(lines.get(1).matches(" +0 +0 +0 +0 +0 \\S .* kernel"), ps);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +\\S +[0-9:.]+ +kworker/0 \\(CPU 0\\)")),
                "the kernel's worker on CPU 0: " + ps);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +1 +0 +1 +1 +0 \\S .* init")), ps);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +\\S +[0-9:.]+ +reaper \\(CPU \\d+\\)")), ps);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +\\d+ +1 +\\d+ +\\d+ +0 \\S .* console ttyS0")),
                "the console process, a child of init: " + ps);
    }

    @Test
    void killRefusesTheKernelInitAndMissingPids() {
        assertEquals("kill: EPERM: kill SIGTERM: pid 1 is init and cannot be signalled", console.run("kill 1"));
        assertEquals("kill: EPERM: kill SIGKILL: pid 0 is the kernel and cannot be signalled", console.run("kill 0 KILL"));
        assertEquals("kill: ESRCH: kill SIGTERM: no process 4242", console.run("kill 4242"));
        assertEquals("kill: 'abc' is not a pid (usage: kill PID [SIG])", console.run("kill abc"));
        assertTrue(console.run("ps").contains(" init"), "init is still there after the refused kill");
    }
}

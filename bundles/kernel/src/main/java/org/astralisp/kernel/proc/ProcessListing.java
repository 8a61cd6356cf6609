package org.astralisp.kernel.proc;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.ThreadStatus;
import org.astralisp.kernel.api.sched.KernelThread;

/**
 * The process table as {@code ps} and {@code top} print it: one row per
 * process (pid, parent, group, session, uid, state letter, CPU time, resident
 * pages, command) and, on request, one row per thread under it.
 */
final class ProcessListing {

    static final String HEADER = String.format(Locale.ROOT, "%5s %5s %5s %5s %5s %s %10s %6s %s%n", "PID", "PPID",
            "PGID", "SID", "UID", "S", "TIME", "PAGES", "COMMAND");

    private ProcessListing() {
    }

    static String render(List<ProcessStatus> processes, boolean threads) {
        StringBuilder text = new StringBuilder(HEADER);
        for (ProcessStatus p : processes) {
            text.append(String.format(Locale.ROOT, "%5d %5d %5d %5d %5d %c %10s %6d %s%n", p.pid(), p.ppid(),
                    p.pgid(), p.sid(), p.uid(), p.state().letter(), time(p.cpuTime()), p.memoryPages(), p.command()));
            if (threads) {
                for (ThreadStatus t : p.threads()) {
                    text.append(String.format(Locale.ROOT, "%29s %c %10s %6s   %s (CPU %d)%n", "", letter(t.state()),
                            time(t.cpuTime()), "", t.name(), t.cpu()));
                }
            }
        }
        return text.toString();
    }

    /** {@code m:ss.mmm}, as ps's TIME but to the millisecond (kernel threads run for microseconds). */
    static String time(Duration cpu) {
        long millis = cpu.toMillis();
        return String.format(Locale.ROOT, "%d:%02d.%03d", millis / 60_000, millis / 1000 % 60, millis % 1000);
    }

    /** Linux's letters for a thread: R running or runnable, S sleeping (blocked), N not started, X dead. */
    static char letter(KernelThread.State state) {
        return switch (state) {
            case RUNNING, RUNNABLE -> 'R';
            case BLOCKED -> 'S';
            case NEW -> 'N';
            case DEAD -> 'X';
        };
    }
}

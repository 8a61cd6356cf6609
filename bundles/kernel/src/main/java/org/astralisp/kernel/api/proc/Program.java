package org.astralisp.kernel.api.proc;

import java.util.List;
import org.astralisp.kernel.api.syscall.SystemCalls;

/**
 * Runnable code a {@link ProgramLoader} made of an image: what the main thread
 * of a new process runs. Returning ends the process with that exit code (as
 * returning from C's {@code main}); throwing ends it with
 * {@link org.astralisp.kernel.api.syscall.ExitStatus#FAILURE}. Long loops poll
 * {@link org.astralisp.kernel.api.sched.Safepoint#poll()}, where signals are
 * delivered.
 */
@FunctionalInterface
public interface Program {

    int main(SystemCalls system, List<String> args);
}

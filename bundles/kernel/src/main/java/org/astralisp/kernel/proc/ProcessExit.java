package org.astralisp.kernel.proc;

/**
 * Unwinds a thread of a process that is ending (an {@code exit}, a KILL, a
 * signal whose default action terminates). An {@link Error}, so that a
 * program's {@code catch (Exception e)} does not swallow it; without a stack
 * trace, since it is control flow, not a fault.
 */
final class ProcessExit extends Error {

    private static final long serialVersionUID = 1L;

    ProcessExit(int pid) {
        super("process " + pid + " is exiting", null, false, false);
    }
}

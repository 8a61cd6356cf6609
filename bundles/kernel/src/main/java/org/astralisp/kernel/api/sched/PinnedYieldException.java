package org.astralisp.kernel.api.sched;

/**
 * A kernel thread tried to yield its vCPU while its continuation was pinned:
 * a native frame (a foreign upcall) or a critical section on its stack, which
 * the JVM cannot unmount. A kernel bug, reported where the yield was
 * attempted rather than run silently to completion on the vCPU
 * (docs/kernel.md, "Pinning").
 */
public final class PinnedYieldException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String thread;
    private final String reason;

    public PinnedYieldException(String thread, int cpu, String reason) {
        super("kernel thread '" + thread + "' on CPU " + cpu + " cannot yield: its continuation is pinned by "
                + reason + "; a kernel thread yields only with no native frame or critical section on its stack");
        this.thread = thread;
        this.reason = reason;
    }

    /** The name of the thread that tried to yield. */
    public String thread() {
        return thread;
    }

    /** What pinned it, as the JVM reported it ({@code NATIVE}, {@code CRITICAL_SECTION}, {@code MONITOR}). */
    public String reason() {
        return reason;
    }
}

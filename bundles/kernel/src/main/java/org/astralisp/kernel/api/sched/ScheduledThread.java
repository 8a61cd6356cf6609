package org.astralisp.kernel.api.sched;

/**
 * A runnable kernel thread as a {@link RunQueue} sees it: its attributes and
 * one slot where the policy keeps its per-thread state (the fair policy's
 * virtual runtime). The slot travels with the thread across blocking and
 * migration; after a policy swap it holds the old policy's state, which the
 * new policy recognises as foreign (not its own type) and replaces.
 */
public interface ScheduledThread {

    String name();

    SchedulingAttributes attributes();

    /** The policy's state for this thread; null until a policy set it. */
    Object policyState();

    void policyState(Object state);
}

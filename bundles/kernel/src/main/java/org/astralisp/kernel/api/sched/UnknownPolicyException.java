package org.astralisp.kernel.api.sched;

import java.util.List;

/** {@link CpuScheduler#setPolicy} of a name that no registered policy has. */
public final class UnknownPolicyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String policy;
    private final List<String> valid;

    public UnknownPolicyException(String policy, List<String> valid) {
        super("no scheduling policy '" + policy + "' (policies: " + String.join(", ", valid) + ")");
        this.policy = policy;
        this.valid = List.copyOf(valid);
    }

    public String policy() {
        return policy;
    }

    /** The names that were valid. */
    public List<String> valid() {
        return valid;
    }
}

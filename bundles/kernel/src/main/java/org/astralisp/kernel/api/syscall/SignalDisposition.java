package org.astralisp.kernel.api.syscall;

import java.util.Objects;

/**
 * What a process does with a signal (POSIX.1-2017 XSH 2.4.3): the default
 * action, ignore it, or run a handler on the receiving thread at its next
 * safepoint or system call return.
 */
public sealed interface SignalDisposition {

    /** {@code SIG_DFL}. */
    SignalDisposition DEFAULT = new Default();
    /** {@code SIG_IGN}. */
    SignalDisposition IGNORE = new Ignore();

    /** A handler. */
    static SignalDisposition handler(SignalHandler handler) {
        return new Handler(handler);
    }

    record Default() implements SignalDisposition {
    }

    record Ignore() implements SignalDisposition {
    }

    record Handler(SignalHandler handler) implements SignalDisposition {
        public Handler {
            Objects.requireNonNull(handler, "handler");
        }
    }
}

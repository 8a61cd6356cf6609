package org.astralisp.kernel.api.syscall;

import java.util.Locale;

/**
 * The signals the kernel delivers, numbered as Linux numbers them on x86-64,
 * RISC-V and PowerPC (arch/x86/include/uapi/asm/signal.h,
 * include/uapi/asm-generic/signal.h), with their default actions from
 * signal(7) / POSIX.1-2017 XBD &lt;signal.h&gt;.
 */
public enum Signal {
    HUP(1, DefaultAction.TERMINATE),
    INT(2, DefaultAction.TERMINATE),
    QUIT(3, DefaultAction.TERMINATE),
    KILL(9, DefaultAction.TERMINATE),
    USR1(10, DefaultAction.TERMINATE),
    USR2(12, DefaultAction.TERMINATE),
    PIPE(13, DefaultAction.TERMINATE),
    ALRM(14, DefaultAction.TERMINATE),
    TERM(15, DefaultAction.TERMINATE),
    CHLD(17, DefaultAction.IGNORE),
    CONT(18, DefaultAction.CONTINUE),
    STOP(19, DefaultAction.STOP),
    XCPU(24, DefaultAction.TERMINATE);

    /** What a signal does when its disposition is the default (signal(7), "Standard signals"). */
    public enum DefaultAction { TERMINATE, IGNORE, STOP, CONTINUE }

    private final int number;
    private final DefaultAction defaultAction;

    Signal(int number, DefaultAction defaultAction) {
        this.number = number;
        this.defaultAction = defaultAction;
    }

    public int number() {
        return number;
    }

    public DefaultAction defaultAction() {
        return defaultAction;
    }

    /** KILL and STOP cannot be caught, blocked or ignored (POSIX.1-2017 XSH sigaction). */
    public boolean catchable() {
        return this != KILL && this != STOP;
    }

    /** {@code SIGINT}. */
    public String signalName() {
        return "SIG" + name();
    }

    /**
     * The signal a user named: {@code INT}, {@code SIGINT}, {@code int} or
     * {@code 2}.
     *
     * @throws SystemCallException EINVAL naming the text if no signal is called so
     */
    public static Signal parse(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        for (Signal signal : values()) {
            if (signal.name().equals(bare) || String.valueOf(signal.number).equals(bare)) {
                return signal;
            }
        }
        throw new SystemCallException(Errno.EINVAL, "'" + text + "' is not a signal (names: HUP INT QUIT KILL "
                + "USR1 USR2 PIPE ALRM TERM CHLD CONT STOP XCPU, or their numbers)");
    }

    /** The signal numbered {@code number}. @throws SystemCallException EINVAL if there is none */
    public static Signal of(int number) {
        for (Signal signal : values()) {
            if (signal.number == number) {
                return signal;
            }
        }
        throw new SystemCallException(Errno.EINVAL, "signal " + number + " does not exist");
    }
}

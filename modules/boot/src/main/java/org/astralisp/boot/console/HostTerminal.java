package org.astralisp.boot.console;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The host terminal the JVM's standard input is, in raw mode while the
 * machine's UART owns it — what QEMU does for {@code -serial stdio}: keys
 * reach the guest's line discipline unedited (Backspace, ^U, ^C and ^D are the
 * guest tty's to interpret, and ^C is no longer SIGINT), and the host does not
 * echo (the guest does). Output processing stays on ({@code OPOST|ONLCR}), so
 * what the loader prints itself still starts at the left margin.
 *
 * <p>Through the FFM API on libc: {@code isatty}, {@code tcgetattr},
 * {@code cfmakeraw}, {@code tcsetattr} (POSIX.1-2017 General Terminal
 * Interface). The saved settings are restored by {@link #restore()} and by a
 * shutdown hook, so a JVM that exits any way leaves the terminal usable.
 */
public final class HostTerminal {

    /** Larger than glibc's {@code struct termios} (60 bytes on Linux), which is opaque here. */
    private static final long TERMIOS_BYTES = 256;
    /** {@code c_oflag} is the second {@code tcflag_t} (unsigned int) of {@code struct termios}. */
    private static final long C_OFLAG_OFFSET = 4;
    private static final int OPOST = 0x1;
    private static final int ONLCR = 0x4;
    private static final int TCSANOW = 0;
    private static final int STDIN = 0;

    private final MethodHandle tcsetattr;
    private final MemorySegment saved;
    private boolean restored;

    private HostTerminal(MethodHandle tcsetattr, MemorySegment saved) {
        this.tcsetattr = tcsetattr;
        this.saved = saved;
    }

    /** Puts standard input in raw mode if it is a terminal; empty (nothing changed) otherwise. */
    public static Optional<HostTerminal> rawIfTerminal() {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            MethodHandle isatty = linker.downcallHandle(libc.find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            if ((int) isatty.invokeExact(STDIN) != 1) {
                return Optional.empty();
            }
            MethodHandle tcgetattr = linker.downcallHandle(libc.find("tcgetattr").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle cfmakeraw = linker.downcallHandle(libc.find("cfmakeraw").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            MethodHandle tcsetattr = linker.downcallHandle(libc.find("tcsetattr").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS));
            MemorySegment saved = Arena.global().allocate(TERMIOS_BYTES, 8);
            if ((int) tcgetattr.invokeExact(STDIN, saved) != 0) {
                return Optional.empty();
            }
            MemorySegment raw = Arena.global().allocate(TERMIOS_BYTES, 8);
            raw.copyFrom(saved);
            cfmakeraw.invokeExact(raw);
            int oflag = raw.get(ValueLayout.JAVA_INT, C_OFLAG_OFFSET);
            raw.set(ValueLayout.JAVA_INT, C_OFLAG_OFFSET, oflag | OPOST | ONLCR);
            if ((int) tcsetattr.invokeExact(STDIN, TCSANOW, raw) != 0) {
                return Optional.empty();
            }
            HostTerminal terminal = new HostTerminal(tcsetattr, saved);
            Runtime.getRuntime().addShutdownHook(new Thread(terminal::restore, "host-terminal-restore"));
            return Optional.of(terminal);
        } catch (Throwable e) {
            return Optional.empty(); // no libc terminal interface: leave the terminal as it is
        }
    }

    /** Gives the terminal its settings back. Idempotent. */
    public synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            int ignored = (int) tcsetattr.invokeExact(STDIN, TCSANOW, saved);
        } catch (Throwable e) {
            // nothing more can be done for the terminal at exit
        }
    }
}

package org.astralisp.machine.cpu;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.InterruptEntry;
import org.astralisp.machine.port.MachineCheckException;

/**
 * One virtual CPU: a host platform thread named {@code vcpuN} that runs the
 * code the OS starts on it, takes interrupts at its safepoints, and parks when
 * halted.
 *
 * <h2>Interrupt model</h2>
 * The vCPU's interrupt logic has inputs, {@link InterruptSource}s, added in the
 * architecture's priority order (first = highest). A controller that makes a
 * source pending then calls {@link #kick()}, from any thread. The vCPU looks at
 * its sources only at a safepoint on its own thread: {@link #pollInterrupts()}
 * and {@link #waitForInterrupt()}. There, if interrupts are enabled, it takes
 * the highest-priority pending source: {@link InterruptSource#acknowledge()}
 * yields the architectural cause, and the {@link InterruptEntry} runs with
 * interrupts disabled; they are enabled again when it returns (also if it
 * throws). It then looks again, until no source is pending: a level source the
 * handler did not clear is taken again, as on real hardware.
 *
 * <h2>The attention flag, and why no interrupt is lost</h2>
 * {@code attention} means "a source may be pending: look". Invariant: whenever
 * a source is pending and no safepoint on this vCPU is between clearing the
 * flag and finishing its scan, {@code attention} is true. It holds because
 * <ul>
 * <li>a controller makes a source pending (a synchronisation action inside the
 *     source: a lock release or volatile write, per the {@link InterruptSource}
 *     contract) <em>before</em> {@code kick()} writes {@code attention = true};
 * <li>a safepoint writes {@code attention = false} <em>before</em> asking the
 *     sources (synchronisation actions again). In the single total order of
 *     synchronisation actions, if the scan missed a source becoming pending,
 *     the scan came before it, so the kick's write came after the clear and
 *     the flag is true again;
 * <li>a safepoint that finds a pending source it may not take (interrupts
 *     disabled) sets the flag again before returning.
 * </ul>
 * So {@code pollInterrupts()} can skip the sources whenever the flag is false:
 * its fast path is one volatile read, which on x86-64, AArch64 and the others is
 * an ordinary load.
 *
 * <h2>Halting without a lost wake-up</h2>
 * To halt, the vCPU writes {@code halted = true}, then reads {@code attention}
 * and parks only if it is false; {@code kick()} writes {@code attention = true},
 * then reads {@code halted} and unparks the thread if it is true. Both pairs are
 * volatile, so (Dekker) at least one side sees the other's write: either the
 * vCPU sees the attention and does not park, or the kicker sees the halt and
 * unparks, and an unpark that comes before the park leaves a permit that makes
 * the park return at once ({@link LockSupport}). Spurious returns from
 * {@code park} just loop. The same protocol underlies
 * {@code AbstractQueuedSynchronizer}. A halted vCPU is parked in the kernel and
 * uses no host CPU; a kick to a running vCPU costs two volatile accesses and no
 * system call.
 *
 * <h2>Threads</h2>
 * Enabling, disabling and taking interrupts are done by the vCPU itself: those
 * methods throw {@link IllegalStateException} on any other thread.
 * {@link #kick()}, {@link #wake()}, {@link #start}, {@link #running()},
 * {@link #addInterruptSource}, {@link #registerSystemRegister} and the system
 * register accessors may be called from any thread. A host
 * {@link Thread#interrupt()} of a vCPU thread is not a guest event: a halt
 * neither ends on it nor discards it (the status is restored when the halt
 * ends).
 *
 * <h2>Life cycle: STOPPED, RUNNING, powered off</h2>
 * A vCPU is STOPPED until {@link #start} makes it RUNNING on a new platform
 * thread {@code vcpuN}; when its entry returns (or throws) the thread ends and
 * the vCPU is STOPPED again, with interrupts disabled, and may be started
 * again with another entry: RISC-V SBI HSM {@code hart_stop}/{@code hart_start}
 * (SBI v2.0 §9), x86 INIT–SIPI (Intel SDM Vol. 3A §9.4.4). Its interrupt
 * sources, system registers and pending interrupts are untouched by a stop:
 * they are the controllers' state, not the CPU's. The state is guarded by this
 * object's monitor; the thread of the current run is published through a
 * volatile field, written before that thread starts.
 *
 * <h2>Wake-ups</h2>
 * {@link #wake()} makes the current or next {@link #waitForInterrupt()} return
 * without taking an interrupt, as a RISC-V {@code wfi} may (privileged spec
 * §3.3.3): a wake-up event, like {@link LockSupport#unpark}'s permit. It is the
 * one thing a thread that is not a vCPU can do to a halted vCPU, which on x86
 * it cannot reach by IPI (the local APIC is reachable from a CPU only). It
 * rides on the attention protocol: {@code woken} is written before the kick,
 * and read after the halt's scan found nothing, so a wake-up is never missed.
 *
 * <h2>Power-off</h2>
 * {@link #powerOff()} makes the vCPU's next safepoint throw an error that
 * unwinds its thread; a powered-off vCPU never starts again.
 */
public final class VirtualCpu implements Cpu, VirtualCpuSignals {

    private static final ScopedValue<VirtualCpu> CURRENT = ScopedValue.newInstance();
    private static final InterruptSource[] NO_SOURCES = new InterruptSource[0];

    private final int id;
    private final String registerKind;
    /** The thread of the current or last run, null before the first start; written under {@code this}. */
    private volatile Thread thread;
    /** Guarded by {@code this}: RUNNING from {@link #start} until the entry has returned and the thread is ending. */
    private boolean running;

    private volatile InterruptEntry interruptEntry;
    private volatile boolean interruptsEnabled;
    private volatile boolean attention;
    private volatile boolean halted;
    private volatile boolean poweredOff;
    private volatile boolean woken;
    private volatile InterruptSource[] sources = NO_SOURCES;
    private volatile SystemRegisterFile systemRegisters = SystemRegisterFile.EMPTY;

    /**
     * A vCPU numbered {@code id} whose system registers are called
     * {@code registerKind} in messages ({@code MSR}, {@code CSR}, {@code SPR}).
     * It is STOPPED until {@link #start}.
     */
    public VirtualCpu(int id, String registerKind) {
        this.id = id;
        this.registerKind = Objects.requireNonNull(registerKind);
    }

    /**
     * The id of the vCPU whose thread is calling, or -1 on any other thread:
     * for registers each CPU sees its own copy of at one address (the local
     * APIC page, Intel SDM Vol. 3A §11.4.1).
     */
    public static int currentId() {
        return CURRENT.isBound() ? CURRENT.get().id : -1;
    }

    @Override
    public int id() {
        return id;
    }

    /**
     * Adds an interrupt input below those added before it in priority.
     * Safe while the vCPU runs: the next safepoint sees it.
     */
    public synchronized void addInterruptSource(InterruptSource source) {
        InterruptSource[] current = sources;
        InterruptSource[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = Objects.requireNonNull(source);
        sources = next;
    }

    /**
     * Implements system register {@code number} with {@code register}.
     *
     * @throws IllegalArgumentException if {@code number} is implemented already
     */
    public synchronized void registerSystemRegister(int number, SystemRegister register) {
        systemRegisters = systemRegisters.with(number, Objects.requireNonNull(register));
    }

    @Override
    public synchronized void start(Runnable entry) {
        Objects.requireNonNull(entry);
        if (poweredOff) {
            throw new IllegalStateException("vcpu" + id + " is powered off");
        }
        if (running) {
            throw new IllegalStateException("vcpu" + id + " is running: it can be started again once its entry"
                    + " has returned");
        }
        running = true;
        interruptsEnabled = false;
        woken = false;
        Thread next = Thread.ofPlatform().name("vcpu" + id).daemon(true).unstarted(() -> run(entry));
        thread = next;
        next.start();
    }

    private void run(Runnable entry) {
        try {
            ScopedValue.where(CURRENT, this).run(entry);
        } catch (PowerOff off) {
            // The machine was powered off at a safepoint: the normal end of a vCPU's thread.
        } finally {
            synchronized (this) {
                interruptsEnabled = false;
                running = false;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized boolean running() {
        return running;
    }

    @Override
    public void wake() {
        woken = true;
        kick();
    }

    @Override
    public void setInterruptEntry(InterruptEntry entry) {
        interruptEntry = Objects.requireNonNull(entry);
    }

    @Override
    public void enableInterrupts() {
        checkOwnThread("enableInterrupts");
        if (interruptEntry == null) {
            throw new IllegalStateException("vcpu" + id + ": no interrupt entry; call setInterruptEntry first");
        }
        interruptsEnabled = true;
    }

    @Override
    public boolean disableInterrupts() {
        checkOwnThread("disableInterrupts");
        boolean were = interruptsEnabled;
        interruptsEnabled = false;
        return were;
    }

    @Override
    public boolean interruptsEnabled() {
        return interruptsEnabled;
    }

    @Override
    public void kick() {
        attention = true;
        if (halted) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void pollInterrupts() {
        checkOwnThread("pollInterrupts");
        if (!attention) {
            return;
        }
        if (poweredOff) {
            throw new PowerOff(id);
        }
        if (interruptsEnabled) {
            deliverFrom(claimAttention());
        }
    }

    @Override
    public void waitForInterrupt() {
        checkOwnThread("waitForInterrupt");
        InterruptSource source;
        while ((source = claimAttention()) == null) {
            if (woken) {
                woken = false;
                return;
            }
            halt();
        }
        if (interruptsEnabled) {
            deliverFrom(source);
        } else {
            attention = true;
        }
    }

    /**
     * Clears the attention flag, then returns the highest-priority pending
     * source, or null. Clearing first is what makes a concurrent kick count
     * (see the class comment).
     */
    private InterruptSource claimAttention() {
        if (poweredOff) {
            throw new PowerOff(id);
        }
        attention = false;
        for (InterruptSource source : sources) {
            if (source.pending()) {
                return source;
            }
        }
        return null;
    }

    /** Takes {@code source}, then every source still pending, highest priority first. */
    private void deliverFrom(InterruptSource source) {
        while (source != null) {
            long cause = source.acknowledge();
            interruptsEnabled = false;
            try {
                interruptEntry.interrupt(this, cause);
            } finally {
                interruptsEnabled = true;
            }
            source = claimAttention();
        }
    }

    /** Parks until the attention flag is set; see the class comment for the protocol. */
    private void halt() {
        boolean interrupted = Thread.interrupted();
        halted = true;
        try {
            while (!attention) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        } finally {
            halted = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public long readSystemRegister(int number) {
        return systemRegister(number, "read").read();
    }

    @Override
    public void writeSystemRegister(int number, long value) {
        systemRegister(number, "write of 0x" + Long.toHexString(value)).write(value);
    }

    private SystemRegister systemRegister(int number, String access) {
        SystemRegister register = systemRegisters.find(number);
        if (register == null) {
            throw new MachineCheckException("vcpu" + id + ": " + access + " of " + registerKind + " 0x"
                    + Integer.toHexString(number) + ": no such register in this model");
        }
        return register;
    }

    /**
     * Powers the vCPU off: its next safepoint unwinds its thread, and it cannot
     * be started any more. A halted vCPU wakes to do so. Any thread.
     */
    public void powerOff() {
        synchronized (this) {
            poweredOff = true;
        }
        kick();
    }

    /**
     * Waits up to {@code timeout} for the vCPU's thread to end; true if it has
     * ended or never started.
     */
    public boolean awaitPowerOff(Duration timeout) throws InterruptedException {
        Thread last = thread;
        return last == null || last.join(timeout);
    }

    private void checkOwnThread(String operation) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(operation + " on vcpu" + id + " called from thread '"
                    + Thread.currentThread().getName() + "': only vcpu" + id + " itself may do that");
        }
    }

    @Override
    public String toString() {
        return "vcpu" + id;
    }
}

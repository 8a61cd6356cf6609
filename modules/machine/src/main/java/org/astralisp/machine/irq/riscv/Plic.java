package org.astralisp.machine.irq.riscv;

import java.util.List;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;

/**
 * The platform-level interrupt controller after the RISC-V PLIC specification 1.0.0, with
 * sources {@code 1..sources} (source 0 does not exist) and a list of contexts, each of which
 * drives one external-interrupt input of one hart (on this machine, as on QEMU virt, context
 * {@code 2h} is hart {@code h}'s {@code mip.MEIP} and {@code 2h + 1} its {@code mip.SEIP}).
 *
 * <p>Register map (all 32-bit, little-endian, naturally aligned; anything else, or a register
 * of a source or context that does not exist, is a machine check): priority of source {@code s}
 * at {@code 0x000000 + 4s} (WARL 0..7, 0 = never interrupts); pending bits at {@code 0x001000}
 * (read-only, bit {@code s % 32} of word {@code s / 32}); enable bits of context {@code c} at
 * {@code 0x002000 + 0x80c} (same layout; bit 0 and bits above the last source are read-only 0);
 * priority threshold of context {@code c} at {@code 0x200000 + 0x1000c} (WARL 0..7); its
 * claim/complete register at {@code 0x200004 + 0x1000c}.
 *
 * <p>Core: context {@code c}'s external interrupt is pending while some source is pending,
 * enabled for {@code c} and of priority above {@code c}'s threshold. A claim returns the pending
 * source enabled for the context with the highest priority (ties: the lowest ID; priority 0
 * never) and clears its pending bit, or 0; as the specification says, a claim is not affected by
 * the threshold. A completion writes the claimed ID back; one for a source not enabled for the
 * context, or with no request in flight, is ignored. Each source's {@link PlicGateway} decides
 * when the next request reaches the core.
 *
 * <p>Locking: all state is guarded by this object's monitor; harts are kicked after it is
 * released. {@link #claims()} counts claims per context (hart) and source.
 */
public final class Plic implements MmioDevice {

    /** QEMU virt's PLIC base. */
    public static final long DEFAULT_BASE = 0x0C00_0000L;
    /** The specification's limit on sources. */
    public static final int MAX_SOURCES = 1023;
    public static final int MAX_PRIORITY = 7;

    static final int PENDING_BASE = 0x1000;
    static final int ENABLE_BASE = 0x2000;
    static final int ENABLE_STRIDE = 0x80;
    static final int CONTEXT_BASE = 0x20_0000;
    static final int CONTEXT_STRIDE = 0x1000;
    static final int CLAIM_COMPLETE = 4;

    private static final String NAME = "plic";

    private final int sources;
    /** 32-bit words of the pending and enable arrays: IDs 0..sources. */
    private final int words;
    private final List<VirtualCpuSignals> contexts;
    private final PlicGateway[] gateways;
    private final int[] priority;
    private final boolean[] pending;
    private final boolean[][] enabled;
    private final int[] threshold;
    private final DeliveryCounters claims;

    /**
     * A PLIC with sources {@code 1..sources} and one context per element of {@code contexts},
     * which is the hart kicked when that context's interrupt becomes pending.
     */
    public Plic(int sources, List<? extends VirtualCpuSignals> contexts) {
        if (sources < 1 || sources > MAX_SOURCES) {
            throw new IllegalArgumentException("PLIC sources " + sources + " is not in 1.." + MAX_SOURCES);
        }
        this.sources = sources;
        this.words = (sources + 1 + 31) / 32;
        this.contexts = List.copyOf(contexts);
        this.gateways = new PlicGateway[sources + 1];
        this.priority = new int[sources + 1];
        this.pending = new boolean[sources + 1];
        this.enabled = new boolean[contexts.size()][sources + 1];
        this.threshold = new int[contexts.size()];
        this.claims = new DeliveryCounters(contexts.size(), sources + 1);
    }

    /** The number of sources ({@code riscv,ndev}). */
    public int sources() {
        return sources;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return CONTEXT_BASE + (long) CONTEXT_STRIDE * contexts.size();
    }

    /**
     * The line into source {@code source} (1..{@link #sources()}), whose gateway samples it as
     * {@code trigger}.
     *
     * @throws IllegalArgumentException if there is no such source or it is wired already
     */
    public synchronized IrqLine line(int source, TriggerMode trigger) {
        if (source < 1 || source > sources) {
            throw new IllegalArgumentException("PLIC source " + source + " is not in 1.." + sources);
        }
        if (gateways[source] != null) {
            throw new IllegalArgumentException("PLIC source " + source + " is wired already");
        }
        gateways[source] = new PlicGateway(trigger);
        return new SourceLine(source);
    }

    /** Claims per context and source. */
    public DeliveryCounters claims() {
        return claims;
    }

    /** Whether context {@code context}'s interrupt (a hart's {@code mip.MEIP} or {@code SEIP}) is pending. */
    public synchronized boolean externalPending(int context) {
        for (int source = 1; source <= sources; source++) {
            if (requesting(context, source) && priority[source] > threshold[context]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long read(long offset, int width) {
        check(offset, width, false);
        int register = (int) offset;
        synchronized (this) {
            if (register < PENDING_BASE) {
                return priority[source(register, false)];
            }
            if (register < ENABLE_BASE) {
                return word(pending, pendingWord(register, false));
            }
            if (register < CONTEXT_BASE) {
                return word(enabled[enableContext(register, false)], enableWord(register));
            }
            int context = context(register, false);
            return (register & (CONTEXT_STRIDE - 1)) == 0 ? threshold[context] : claim(context);
        }
    }

    @Override
    public void write(long offset, int width, long value) {
        check(offset, width, true);
        int register = (int) offset;
        int data = (int) value;
        synchronized (this) {
            if (register < PENDING_BASE) {
                priority[source(register, true)] = Math.min(data & 0xFF, MAX_PRIORITY);
            } else if (register < ENABLE_BASE) {
                pendingWord(register, true);
                throw RegisterFaults.readOnly(NAME, offset, width, "the pending array");
            } else if (register < CONTEXT_BASE) {
                setWord(enabled[enableContext(register, true)], enableWord(register), data);
            } else {
                int context = context(register, true);
                if ((register & (CONTEXT_STRIDE - 1)) == 0) {
                    threshold[context] = Math.min(data & 0xFF, MAX_PRIORITY);
                } else {
                    complete(context, data);
                }
            }
        }
        notifyHarts();
    }

    private void check(long offset, int width, boolean write) {
        if (offset < 0 || offset >= size()) {
            throw RegisterFaults.noRegister(NAME, write, offset, width);
        }
        if (width != 4 || (offset & 3) != 0) {
            throw RegisterFaults.badWidth(NAME, write, offset, width, "PLIC registers are 32 bits wide");
        }
    }

    private int source(int register, boolean write) {
        int source = register / 4;
        if (source < 1 || source > sources) {
            throw RegisterFaults.noRegister(NAME, write, register, 4);
        }
        return source;
    }

    private int pendingWord(int register, boolean write) {
        int index = (register - PENDING_BASE) / 4;
        if (index >= words) {
            throw RegisterFaults.noRegister(NAME, write, register, 4);
        }
        return index;
    }

    private int enableContext(int register, boolean write) {
        int context = (register - ENABLE_BASE) / ENABLE_STRIDE;
        if (context >= contexts.size() || enableWord(register) >= words) {
            throw RegisterFaults.noRegister(NAME, write, register, 4);
        }
        return context;
    }

    private static int enableWord(int register) {
        return ((register - ENABLE_BASE) % ENABLE_STRIDE) / 4;
    }

    private int context(int register, boolean write) {
        int within = (register - CONTEXT_BASE) % CONTEXT_STRIDE;
        if (within != 0 && within != CLAIM_COMPLETE) {
            throw RegisterFaults.noRegister(NAME, write, register, 4);
        }
        return (register - CONTEXT_BASE) / CONTEXT_STRIDE;
    }

    /** Word {@code index} of a bit array: bit {@code b} is source {@code 32 * index + b}. */
    private long word(boolean[] bits, int index) {
        long word = 0;
        for (int bit = 0; bit < 32; bit++) {
            int source = 32 * index + bit;
            if (source <= sources && bits[source]) {
                word |= 1L << bit;
            }
        }
        return word;
    }

    /** Sets word {@code index}; source 0 and sources above the last stay 0 (WARL). */
    private void setWord(boolean[] bits, int index, int word) {
        for (int bit = 0; bit < 32; bit++) {
            int source = 32 * index + bit;
            if (source >= 1 && source <= sources) {
                bits[source] = (word & (1 << bit)) != 0;
            }
        }
    }

    private boolean requesting(int context, int source) {
        return pending[source] && enabled[context][source];
    }

    /** The claim: highest-priority pending enabled source, its pending bit cleared; 0 if none. */
    private int claim(int context) {
        int best = 0;
        for (int source = 1; source <= sources; source++) {
            if (requesting(context, source) && priority[source] > priority[best]) {
                best = source;
            }
        }
        if (best != 0) {
            pending[best] = false;
            claims.increment(context, best);
        }
        return best;
    }

    private void complete(int context, int source) {
        if (source < 1 || source > sources || !enabled[context][source] || gateways[source] == null
                || !gateways[source].inFlight()) {
            return;
        }
        if (gateways[source].completed()) {
            pending[source] = true;
        }
    }

    private void setLine(int source, boolean level) {
        synchronized (this) {
            if (!gateways[source].lineChanged(level)) {
                return;
            }
            pending[source] = true;
        }
        notifyHarts();
    }

    /** Kicks the hart of every context whose interrupt is pending. Called without the monitor. */
    private void notifyHarts() {
        for (int context = 0; context < contexts.size(); context++) {
            if (externalPending(context)) {
                contexts.get(context).kick();
            }
        }
    }

    /** One source's line as a device sees it. */
    private final class SourceLine implements IrqLine {

        private final int source;

        SourceLine(int source) {
            this.source = source;
        }

        @Override
        public void raise() {
            setLine(source, true);
        }

        @Override
        public void lower() {
            setLine(source, false);
        }
    }
}

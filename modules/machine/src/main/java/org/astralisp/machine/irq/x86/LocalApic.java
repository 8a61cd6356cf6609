package org.astralisp.machine.irq.x86;

import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.irq.TimerScheduler;

/**
 * One CPU's local APIC in xAPIC mode (Intel SDM Vol. 3A chapter 11, "Advanced Programmable
 * Interrupt Controller"; chapter 10 in older editions): the registers of the 4 KiB page at
 * {@code 0xFEE00000} that {@link LocalApicPage} routes to it, and the CPU's INTR input as an
 * {@link InterruptSource}.
 *
 * <p>Registers (offset, Table 11-1): ID 0x020 (read-only, the CPU number in bits 31:24),
 * version 0x030, TPR 0x080, PPR 0x0A0, EOI 0x0B0 (write-only), SVR 0x0F0, ISR 0x100–0x170, TMR
 * 0x180–0x1F0, IRR 0x200–0x270, ESR 0x280, ICR 0x300/0x310, LVT timer 0x320, LVT LINT0 0x350,
 * LVT LINT1 0x360, LVT error 0x370, initial count 0x380, current count 0x390 (read-only),
 * divide configuration 0x3E0. Any other offset is a machine check. Not modelled: logical
 * destinations (LDR, DFR), APR, the thermal, performance and CMCI LVT entries, delivery modes
 * other than fixed, x2APIC mode. No line is wired to LINT0/LINT1 on this machine; their LVT
 * entries hold what is written.
 *
 * <p>Behaviour: fixed interrupts from the bus (I/O APIC, IPIs) and the local timer and error
 * entries are latched in the IRR (§11.8.4); while the APIC is software-disabled (SVR bit 8
 * clear, the state after reset) bus interrupts are refused and every LVT entry stays masked
 * (§11.4.7.2). The CPU takes the highest IRR vector whose class is above the PPR
 * ({@link ApicVectorRegisters}); taking it moves it to the ISR ({@link #acknowledge()}); an EOI
 * clears the highest ISR bit and, if that vector was level-triggered (TMR), broadcasts the EOI to
 * the I/O APICs (§11.8.5). A vector below 16 is illegal: sending one sets ESR bit 5, receiving one
 * sets ESR bit 6; errors accumulate and a write to the ESR latches them into it (§11.5.3).
 *
 * <p>Locking: all state is guarded by this object's monitor. Messages to other APICs, EOI
 * broadcasts to the I/O APICs and kicks are issued after the monitor is released, so the only
 * lock order is I/O APIC → local APIC.
 */
public final class LocalApic implements InterruptSource {

    static final int ID = 0x020;
    static final int VERSION = 0x030;
    static final int TPR = 0x080;
    static final int PPR = 0x0A0;
    static final int EOI = 0x0B0;
    static final int SVR = 0x0F0;
    static final int ISR = 0x100;
    static final int TMR = 0x180;
    static final int IRR = 0x200;
    static final int ESR = 0x280;
    static final int ICR_LOW = 0x300;
    static final int ICR_HIGH = 0x310;
    static final int LVT_TIMER = 0x320;
    static final int LVT_LINT0 = 0x350;
    static final int LVT_LINT1 = 0x360;
    static final int LVT_ERROR = 0x370;
    static final int TIMER_INITIAL_COUNT = 0x380;
    static final int TIMER_CURRENT_COUNT = 0x390;
    static final int TIMER_DIVIDE_CONFIGURATION = 0x3E0;

    /** Version 0x14 (integrated APIC), max LVT entry 3: timer, LINT0, LINT1, error. */
    static final int VERSION_VALUE = 0x0003_0014;
    static final int LVT_MASKED = 1 << 16;
    static final int SVR_ENABLED = 1 << 8;
    static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;

    private static final String NAME = "lapic";
    private static final int SVR_WRITABLE = 0x1FF;
    private static final int LINT_WRITABLE = 0x0001_A7FF; // vector, delivery mode, polarity, trigger, mask
    private static final int ERROR_WRITABLE = 0x0001_00FF;
    private static final int ICR_LOW_WRITABLE = 0x000C_CFFF;
    private static final int SHORTHAND_SELF = 1;
    private static final int SHORTHAND_ALL = 2;
    private static final int SHORTHAND_OTHERS = 3;

    private final int id;
    private final VirtualCpuSignals cpu;
    private final ApicBus bus;
    private final DeliveryCounters counters;
    private final ApicVectorRegisters vectors = new ApicVectorRegisters();
    private final LocalApicTimer timer;
    private final SystemRegister tscDeadline = new TscDeadlineRegister();

    private int tpr;
    private int svr = 0xFF;
    private int icrLow;
    private int icrHigh;
    private int lvtLint0 = LVT_MASKED;
    private int lvtLint1 = LVT_MASKED;
    private int lvtError = LVT_MASKED;
    private int esr;
    private int errors; // accumulated since the last ESR write

    /**
     * The APIC of {@code cpu}, whose APIC ID is {@code cpu.id()}; {@code counters} counts taken
     * vectors by CPU id. The caller attaches it to {@code bus}.
     */
    public LocalApic(VirtualCpuSignals cpu, ApicBus bus, TimerScheduler timers, TickClock busClock, TickClock tsc,
            DeliveryCounters counters) {
        if (cpu.id() < 0 || cpu.id() >= ApicBus.BROADCAST) {
            throw new IllegalArgumentException("APIC ID " + cpu.id() + " is not in 0..254");
        }
        this.id = cpu.id();
        this.cpu = cpu;
        this.bus = bus;
        this.counters = counters;
        this.timer = new LocalApicTimer(busClock, tsc, timers.alarm(this::timerAlarm));
    }

    /** The APIC ID (the CPU number). */
    public int id() {
        return id;
    }

    /** The IA32_TSC_DEADLINE MSR (0x6E0) of this CPU. */
    public SystemRegister tscDeadlineRegister() {
        return tscDeadline;
    }

    /** How many times this CPU took {@code vector}. */
    public long deliveries(int vector) {
        return counters.count(id, vector);
    }

    @Override
    public synchronized boolean pending() {
        return vectors.deliverable(tpr) >= 0;
    }

    /**
     * The interrupt-acknowledge cycle: the highest deliverable vector moves from the IRR to the
     * ISR and is returned; if none is deliverable any more, the spurious vector from the SVR is
     * returned and nothing changes (§11.9).
     */
    @Override
    public synchronized long acknowledge() {
        int vector = vectors.deliverable(tpr);
        if (vector < 0) {
            return svr & 0xFF;
        }
        vectors.acknowledge(vector);
        counters.increment(id, vector);
        return vector;
    }

    /**
     * A fixed interrupt message from the bus: latched unless the APIC is software-disabled.
     * Any thread.
     *
     * @return whether the APIC accepted it
     */
    boolean accept(int vector, boolean level) {
        boolean deliverable;
        synchronized (this) {
            if ((svr & SVR_ENABLED) == 0) {
                return false;
            }
            latch(vector, level);
            deliverable = vectors.deliverable(tpr) >= 0;
        }
        if (deliverable) {
            cpu.kick();
        }
        return true;
    }

    /** Reads the 32-bit register at {@code offset} (aligned; checked by the page). */
    synchronized int read(int offset) {
        return switch (offset) {
            case ID -> id << 24;
            case VERSION -> VERSION_VALUE;
            case TPR -> tpr;
            case PPR -> vectors.processorPriority(tpr);
            case SVR -> svr;
            case ESR -> esr;
            case ICR_LOW -> icrLow;
            case ICR_HIGH -> icrHigh;
            case LVT_TIMER -> timer.lvt();
            case LVT_LINT0 -> lvtLint0;
            case LVT_LINT1 -> lvtLint1;
            case LVT_ERROR -> lvtError;
            case TIMER_INITIAL_COUNT -> (int) timer.initialCount();
            case TIMER_CURRENT_COUNT -> (int) timer.currentCount(System.nanoTime());
            case TIMER_DIVIDE_CONFIGURATION -> timer.divideConfiguration();
            case EOI -> throw RegisterFaults.writeOnly(NAME, offset, 4, "EOI");
            default -> readBank(offset);
        };
    }

    /** Writes the 32-bit register at {@code offset} (aligned; checked by the page). */
    void write(int offset, int value) {
        switch (offset) {
            case EOI -> endOfInterrupt();
            case TPR -> writeAndReevaluate(() -> tpr = value & 0xFF);
            case SVR -> writeAndReevaluate(() -> writeSpuriousVector(value));
            case ICR_LOW -> sendInterProcessorInterrupt(value);
            default -> writeRegister(offset, value);
        }
    }

    private synchronized void writeRegister(int offset, int value) {
        int masked = enabled() ? 0 : LVT_MASKED;
        long now = System.nanoTime();
        switch (offset) {
            case ESR -> {
                esr = errors;
                errors = 0;
            }
            case ICR_HIGH -> icrHigh = value & 0xFF00_0000;
            case LVT_TIMER -> {
                if (((value >>> 17) & 3) == 3) {
                    throw RegisterFaults.refused(NAME, offset, 4, "timer mode 3 is reserved");
                }
                timer.writeLvt(value | masked, now);
            }
            case LVT_LINT0 -> lvtLint0 = (value & LINT_WRITABLE) | masked;
            case LVT_LINT1 -> lvtLint1 = (value & LINT_WRITABLE) | masked;
            case LVT_ERROR -> lvtError = (value & ERROR_WRITABLE) | masked;
            case TIMER_INITIAL_COUNT -> timer.writeInitialCount(value, now);
            case TIMER_DIVIDE_CONFIGURATION -> timer.writeDivideConfiguration(value, now);
            case ID, VERSION, PPR, TIMER_CURRENT_COUNT -> throw RegisterFaults.readOnly(NAME, offset, 4,
                    String.format("register 0x%03x", offset));
            default -> {
                if (offset >= ISR && offset < ESR) {
                    throw RegisterFaults.readOnly(NAME, offset, 4, "ISR/TMR/IRR");
                }
                throw RegisterFaults.noRegister(NAME, true, offset, 4);
            }
        }
    }

    private int readBank(int offset) {
        if (offset >= ISR && offset < ESR) {
            int index = (offset & 0x70) >>> 4;
            return switch (offset & 0x380) {
                case ISR -> vectors.inServiceWord(index);
                case TMR -> vectors.triggerModeWord(index);
                default -> vectors.requestWord(index);
            };
        }
        throw RegisterFaults.noRegister(NAME, false, offset, 4);
    }

    private boolean enabled() {
        return (svr & SVR_ENABLED) != 0;
    }

    /** SVR: spurious vector and software enable; disabling masks every LVT entry (§11.4.7.2). */
    private void writeSpuriousVector(int value) {
        svr = value & SVR_WRITABLE;
        if (!enabled()) {
            timer.mask();
            lvtLint0 |= LVT_MASKED;
            lvtLint1 |= LVT_MASKED;
            lvtError |= LVT_MASKED;
        }
    }

    private void writeAndReevaluate(Runnable write) {
        boolean deliverable;
        synchronized (this) {
            write.run();
            deliverable = vectors.deliverable(tpr) >= 0;
        }
        if (deliverable) {
            cpu.kick();
        }
    }

    private void endOfInterrupt() {
        int vector;
        boolean level;
        boolean deliverable;
        synchronized (this) {
            vector = vectors.endOfInterrupt();
            level = vector >= 0 && vectors.levelTriggered(vector);
            deliverable = vectors.deliverable(tpr) >= 0;
        }
        if (level) {
            bus.broadcastEndOfInterrupt(vector);
        }
        if (deliverable) {
            cpu.kick();
        }
    }

    /** ICR low write: the IPI is sent with the destination from ICR high (§11.6.1). */
    private void sendInterProcessorInterrupt(int value) {
        int vector = value & 0xFF;
        int deliveryMode = (value >>> 8) & 7;
        if (deliveryMode != 0) {
            throw RegisterFaults.refused(NAME, ICR_LOW, 4, "IPI delivery mode " + deliveryMode
                    + " is not modelled (only 0, fixed)");
        }
        if ((value & (1 << 11)) != 0) {
            throw RegisterFaults.refused(NAME, ICR_LOW, 4, "logical destination mode is not modelled");
        }
        int destination;
        synchronized (this) {
            icrLow = value & ICR_LOW_WRITABLE;
            destination = icrHigh >>> 24;
        }
        if (vector < 16) {
            writeAndReevaluate(() -> {
                errors |= ESR_SEND_ILLEGAL_VECTOR;
                signalError();
            });
            return;
        }
        switch ((value >>> 18) & 3) {
            case SHORTHAND_SELF -> accept(vector, false);
            case SHORTHAND_ALL -> bus.sendToAll(vector, false, -1);
            case SHORTHAND_OTHERS -> bus.sendToAll(vector, false, id);
            default -> bus.send(destination, vector, false);
        }
    }

    /** Latches a fixed interrupt; an illegal vector is an error instead. Caller holds the monitor. */
    private void latch(int vector, boolean level) {
        if (vector < 16) {
            errors |= ESR_RECEIVE_ILLEGAL_VECTOR;
            signalError();
            return;
        }
        vectors.request(vector, level);
    }

    /** Raises the LVT error entry's vector unless masked or itself illegal. Caller holds the monitor. */
    private void signalError() {
        int vector = lvtError & 0xFF;
        if ((lvtError & LVT_MASKED) != 0) {
            return;
        }
        if (vector < 16) {
            errors |= ESR_RECEIVE_ILLEGAL_VECTOR;
            return;
        }
        vectors.request(vector, false);
    }

    /** The timer's alarm went off: raise the LVT timer vector if it really expired and is unmasked. */
    private void timerAlarm() {
        boolean deliverable;
        synchronized (this) {
            if (!timer.expire(System.nanoTime()) || timer.masked()) {
                return;
            }
            latch(timer.vector(), false);
            deliverable = vectors.deliverable(tpr) >= 0;
        }
        if (deliverable) {
            cpu.kick();
        }
    }

    /** IA32_TSC_DEADLINE (MSR 0x6E0, §11.5.4.1). */
    private final class TscDeadlineRegister implements SystemRegister {

        @Override
        public long read() {
            synchronized (LocalApic.this) {
                return timer.tscDeadline();
            }
        }

        @Override
        public void write(long value) {
            synchronized (LocalApic.this) {
                timer.writeTscDeadline(value, System.nanoTime());
            }
        }
    }
}

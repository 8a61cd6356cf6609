package org.astralisp.hal.x86_64.irq;

import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.EOI;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.ICR_HIGH;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.ICR_LOW;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.IPI_VECTOR;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.SPURIOUS_VECTOR;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.SVR;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.SVR_ENABLE;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.TIMER_VECTOR;
import static org.astralisp.hal.x86_64.irq.LocalApicRegisters.TPR;

import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.InvalidLineException;
import org.astralisp.hal.api.irq.InvalidPriorityException;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.hal.api.irq.spi.LineSettings;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.MmioSpace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The I/O APIC (82093AA datasheet §3.2) and the local APICs (Intel SDM Vol. 3A
 * ch. 11, xAPIC mode) as one {@link InterruptController}.
 *
 * <p>Lines are I/O APIC pins 0..23. Priority is the vector class (SDM §11.8.3):
 * pin {@code p} at priority {@code n} (1..6) gets vector {@code 32·n + p}, so
 * level {@code n} spans classes {@code 2n} and {@code 2n+1} and every vector of a
 * level is above every vector of the level below. Threshold {@code t} is the
 * TPR class {@code 2t+1} (0 for {@code t = 0}), which holds back exactly the
 * levels up to {@code t}; the timer (0xE0) and IPI (0xF0) vectors stay above
 * the highest TPR this writes (0xD0). Claiming needs no register: the CPU's
 * acknowledge cycle already moved the vector to the ISR, so the vector names
 * the pin.
 *
 * <p>Invariant: each redirection entry holds exactly {@link #entry(int)} of
 * the fields below, written high half first so that an unmasked entry never
 * has a stale destination. The IOREGSEL/IOWIN pair is used under this object's
 * monitor.
 */
@Component(service = InterruptController.class, property = "arch=x86_64")
public final class ApicInterruptController implements InterruptController {

    static final String NAME = "ioapic+lapic";
    static final int PINS = 24;
    static final int MAX_PRIORITY = 6;

    private static final int IOREGSEL = 0x00;
    private static final int IOWIN = 0x10;
    private static final int REDIRECTION_TABLE = 0x10;
    private static final int TRIGGER_LEVEL = 1 << 15;
    private static final int MASKED = 1 << 16;

    private final Mmio ioApic;
    private final Mmio localApic;
    private final int cpus;
    private final boolean[] level = new boolean[PINS];
    private final LineSettings lines;

    /** Finds both APICs in the device tree (compatible {@code intel,ce4100-ioapic} / {@code -lapic}). */
    @Activate
    public ApicInterruptController(@Reference(target = "(arch=x86_64)") Firmware firmware,
            @Reference MmioSpace mmio) {
        PlatformDevices platform = PlatformDevices.of(firmware.deviceTree());
        AddressRange io = platform.registers("intel,ce4100-ioapic");
        AddressRange local = platform.registers("intel,ce4100-lapic");
        this.ioApic = mmio.map(io.address(), io.size());
        this.localApic = mmio.map(local.address(), local.size());
        this.cpus = platform.cpus();
        this.lines = new LineSettings(NAME, PINS, MAX_PRIORITY, cpus, this::writeEntry);
        for (int pin = 0; pin < PINS; pin++) {
            writeEntry(pin);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int cpus() {
        return cpus;
    }

    @Override
    public int firstLine() {
        return 0;
    }

    @Override
    public int lastLine() {
        return PINS - 1;
    }

    @Override
    public int maxPriority() {
        return MAX_PRIORITY;
    }

    @Override
    public synchronized void configure(int line, Trigger trigger) {
        level[checkLine(line)] = trigger == Trigger.LEVEL;
        writeEntry(line);
    }

    @Override
    public synchronized void setPriority(int line, int priority) {
        lines.setPriority(checkLine(line), priority);
    }

    @Override
    public synchronized void route(int line, int cpu) {
        lines.route(checkLine(line), cpu);
    }

    @Override
    public synchronized void enable(int line) {
        lines.setEnabled(checkLine(line), true);
    }

    @Override
    public synchronized void disable(int line) {
        lines.setEnabled(checkLine(line), false);
    }

    /** SVR: software-enable the APIC with spurious vector 0xFF (SDM §11.4.7.2); TPR 0. */
    @Override
    public void initializeCpu(int cpu) {
        checkCurrent(cpu);
        localApic.write32(SVR, SVR_ENABLE | SPURIOUS_VECTOR);
        localApic.write32(TPR, 0);
    }

    @Override
    public void setThreshold(int cpu, int threshold) {
        InvalidPriorityException.check(NAME, "threshold", threshold, 0, MAX_PRIORITY);
        checkCurrent(cpu);
        localApic.write32(TPR, threshold == 0 ? 0 : (2 * threshold + 1) << 4);
    }

    @Override
    public Interrupt claim(int cpu, long cause) {
        InvalidCpuException.check(cpu, cpus);
        int vector = (int) cause;
        if (vector != cause) {
            return Interrupt.UNKNOWN;
        }
        return switch (vector) {
            case TIMER_VECTOR -> Interrupt.TIMER;
            case IPI_VECTOR -> Interrupt.IPI;
            case SPURIOUS_VECTOR -> Interrupt.SPURIOUS;
            default -> external(vector);
        };
    }

    private static Interrupt external(int vector) {
        int level = vector >>> 5;
        int pin = vector & 31;
        return level >= 1 && level <= MAX_PRIORITY && pin < PINS ? Interrupt.external(pin) : Interrupt.UNKNOWN;
    }

    /**
     * Writes the EOI register for every delivered vector; a spurious vector is
     * not in the ISR and gets none (SDM §11.9). For a level pin the local APIC
     * broadcasts the EOI to the I/O APIC, which clears remote IRR.
     */
    @Override
    public void complete(int cpu, Interrupt interrupt) {
        checkCurrent(cpu);
        if (interrupt != Interrupt.SPURIOUS) {
            localApic.write32(EOI, 0);
        }
    }

    /** ICR: fixed delivery, physical destination, no shorthand (SDM §11.6.1); high half first, the low write sends. */
    @Override
    public void sendIpi(int cpu) {
        InvalidCpuException.check(cpu, cpus);
        localApic.write32(ICR_HIGH, cpu << 24);
        localApic.write32(ICR_LOW, IPI_VECTOR);
    }

    /** The redirection entry of {@code pin} (82093AA §3.2.4): vector, trigger, mask; destination in 63:56. */
    long entry(int pin) {
        long low = (32L * lines.priority(pin) + pin) | (level[pin] ? TRIGGER_LEVEL : 0)
                | (lines.enabled(pin) ? 0 : MASKED);
        return (long) lines.cpu(pin) << 56 | low;
    }

    private void writeEntry(int pin) {
        long entry = entry(pin);
        writeRegister(REDIRECTION_TABLE + 2 * pin + 1, (int) (entry >>> 32));
        writeRegister(REDIRECTION_TABLE + 2 * pin, (int) entry);
    }

    private void writeRegister(int index, int value) {
        ioApic.write32(IOREGSEL, index);
        ioApic.write32(IOWIN, value);
    }

    private int checkLine(int line) {
        return InvalidLineException.check(NAME, line, 0, PINS - 1);
    }

    /** The local APIC page reaches the caller's own APIC, so a per-CPU call must run on that CPU. */
    private void checkCurrent(int cpu) {
        InvalidCpuException.check(cpu, cpus);
        int current = LocalApicRegisters.currentCpu(localApic);
        if (current != cpu) {
            throw new InvalidCpuException(cpu, "its local APIC was addressed from CPU " + current
                    + "; per-CPU calls run on the CPU itself");
        }
    }
}

package org.astralisp.hal.ppc64.irq;

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
 * The machine's XIVE-like controller ({@code astralisp,xive}, docs/interrupts.md):
 * source configurations, one thread context per server (CPU) with CPPR, ACK,
 * EOI, and one IPI source per server, triggered through {@code TRIGGER}.
 *
 * <p>XIVE priorities run the other way (0 most favoured, a source is presented
 * while its priority is below the CPPR). Line priority {@code p} (1..7) is XIVE
 * priority {@code 8 − p}; threshold {@code t} is CPPR {@code 8 − t}; IPIs have
 * XIVE priority 0, which every CPPR this driver writes lets through. The ACK
 * raises the CPPR to the taken source's priority; {@link #complete} writes the
 * EOI and then restores the CPU's threshold, as the controller leaves that to
 * the OS.
 *
 * <p>Invariant: each device source's configuration register holds
 * {@link #configuration(int)}; {@code threshold[s]} is what CPPR of server s
 * holds outside a handler. Configuration writes are under this object's
 * monitor; a thread context is touched only by its own CPU.
 */
@Component(service = InterruptController.class, property = "arch=ppc64")
public final class XiveInterruptController implements InterruptController {

    static final String NAME = "xive";
    static final int MAX_PRIORITY = 7;
    static final long EXTERNAL_CAUSE = 0x500;
    static final long DECREMENTER_CAUSE = 0x900;

    private static final int SERVERS = 0x000C;
    private static final int IPI_BASE = 0x0010;
    private static final int TRIGGER = 0x0014;
    private static final int SOURCE_CONFIGURATION = 0x1000;
    private static final int THREAD_CONTEXT = 0x10000;
    private static final int THREAD_STRIDE = 0x1000;
    private static final int CPPR = 0x0;
    private static final int ACK = 0x4;
    private static final int EOI = 0x8;
    private static final int MASKED = 1 << 24;
    private static final int LEVEL = 1 << 28;
    private static final int SOURCE_MASK = 0xFF_FFFF;

    private final Mmio xive;
    private final int cpus;
    private final int ipiBase;
    private final LineSettings lines;
    private final int[] threshold;

    /** Finds the controller in the device tree and reads its geometry from its ID registers. */
    @Activate
    public XiveInterruptController(@Reference(target = "(arch=ppc64)") Firmware firmware, @Reference MmioSpace mmio) {
        AddressRange range = PlatformDevices.of(firmware.deviceTree()).registers("astralisp,xive");
        this.xive = mmio.map(range.address(), range.size());
        this.cpus = xive.read32(SERVERS);
        this.ipiBase = xive.read32(IPI_BASE);
        this.lines = new LineSettings(NAME, ipiBase, MAX_PRIORITY, cpus, this::writeConfiguration);
        this.threshold = new int[cpus];
        for (int line = 1; line < ipiBase; line++) {
            xive.write32(SOURCE_CONFIGURATION + 4L * line, configuration(line));
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
        return 1;
    }

    @Override
    public int lastLine() {
        return ipiBase - 1;
    }

    @Override
    public int maxPriority() {
        return MAX_PRIORITY;
    }

    /** The trigger is fixed when the machine wires a source (LSI or MSI); bit 28 of its configuration says which. */
    @Override
    public void configure(int line, Trigger trigger) {
        checkLine(line);
        Trigger wired = (xive.read32(SOURCE_CONFIGURATION + 4L * line) & LEVEL) != 0 ? Trigger.LEVEL : Trigger.EDGE;
        if (trigger != wired) {
            throw new IllegalArgumentException(NAME + ": line " + line + " cannot be made " + trigger
                    + ": the machine wired it " + wired);
        }
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

    /** The CPU's IPI source: XIVE priority 0, to this server, unmasked; CPPR for threshold 0. */
    @Override
    public void initializeCpu(int cpu) {
        InvalidCpuException.check(cpu, cpus);
        xive.write32(SOURCE_CONFIGURATION + 4L * (ipiBase + cpu), cpu << 8);
        setThreshold(cpu, 0);
    }

    @Override
    public void setThreshold(int cpu, int threshold) {
        InvalidCpuException.check(cpu, cpus);
        this.threshold[cpu] = InvalidPriorityException.check(NAME, "threshold", threshold, 0, MAX_PRIORITY);
        xive.write32(context(cpu, CPPR), MAX_PRIORITY + 1 - threshold);
    }

    /** 0x500: read ACK, which takes the most favoured presented source; 0x900: the decrementer. */
    @Override
    public Interrupt claim(int cpu, long cause) {
        InvalidCpuException.check(cpu, cpus);
        if (cause == DECREMENTER_CAUSE) {
            return Interrupt.TIMER;
        }
        if (cause != EXTERNAL_CAUSE) {
            return Interrupt.UNKNOWN;
        }
        int source = xive.read32(context(cpu, ACK)) & SOURCE_MASK;
        if (source == 0) {
            return Interrupt.SPURIOUS;
        }
        return source >= ipiBase ? Interrupt.IPI : Interrupt.external(source);
    }

    /** EOI of the source in service, then the CPPR back to the CPU's threshold. */
    @Override
    public void complete(int cpu, Interrupt interrupt) {
        InvalidCpuException.check(cpu, cpus);
        int source = switch (interrupt.kind()) {
            case EXTERNAL -> interrupt.line();
            case IPI -> ipiBase + cpu;
            default -> 0;
        };
        if (source != 0) {
            xive.write32(context(cpu, EOI), source);
            xive.write32(context(cpu, CPPR), MAX_PRIORITY + 1 - threshold[cpu]);
        }
    }

    @Override
    public void sendIpi(int cpu) {
        xive.write32(TRIGGER, ipiBase + InvalidCpuException.check(cpu, cpus));
    }

    /** Bits 7:0 XIVE priority, 23:8 server, 24 masked. */
    int configuration(int line) {
        return (MAX_PRIORITY + 1 - lines.priority(line)) | lines.cpu(line) << 8 | (lines.enabled(line) ? 0 : MASKED);
    }

    private void writeConfiguration(int line) {
        xive.write32(SOURCE_CONFIGURATION + 4L * line, configuration(line));
    }

    private static long context(int cpu, int register) {
        return THREAD_CONTEXT + (long) THREAD_STRIDE * cpu + register;
    }

    private int checkLine(int line) {
        return InvalidLineException.check(NAME, line, 1, ipiBase - 1);
    }
}

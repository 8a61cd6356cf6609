package org.astralisp.machine.irq.x86;

import java.util.List;
import java.util.function.IntSupplier;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.RegisterFaults;

/**
 * The local APIC page at {@code 0xFEE00000} as the system bus sees it: one physical page that
 * every CPU maps, each access reaching the APIC of the CPU that makes it (Intel SDM Vol. 3A
 * §11.4.1: "the APIC registers are memory-mapped ... each logical processor sees its own").
 *
 * <p>Contract with the machine: {@code currentCpu} returns the id of the vCPU whose thread is
 * calling (the same id as {@code VirtualCpuSignals.id()} and the APIC ID), or a negative number
 * when the calling thread is no vCPU; it is called on every access, on the accessing thread.
 * An access from a thread that is no vCPU (or a vCPU without an APIC) is a machine check.
 *
 * <p>Registers are 32 bits wide on 16-byte boundaries (§11.4.1: other widths and misaligned
 * accesses are undefined); anything else is a machine check. Stateless apart from the fixed APIC
 * list: thread-safe.
 */
public final class LocalApicPage implements MmioDevice {

    /** The architectural base address (IA32_APIC_BASE reset value). */
    public static final long DEFAULT_BASE = 0xFEE0_0000L;
    public static final long SIZE = 0x1000;

    private static final String NAME = "lapic";

    private final LocalApic[] apics;
    private final IntSupplier currentCpu;

    /** A page over {@code apics}, indexed by APIC ID (= CPU id). */
    public LocalApicPage(List<LocalApic> apics, IntSupplier currentCpu) {
        this.apics = new LocalApic[apics.size()];
        for (LocalApic apic : apics) {
            if (apic.id() >= this.apics.length || this.apics[apic.id()] != null) {
                throw new IllegalArgumentException("APIC IDs must be 0.." + (apics.size() - 1) + ", each once");
            }
            this.apics[apic.id()] = apic;
        }
        this.currentCpu = currentCpu;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public long read(long offset, int width) {
        check(offset, width, false);
        return Integer.toUnsignedLong(current(offset, width, false).read((int) offset));
    }

    @Override
    public void write(long offset, int width, long value) {
        check(offset, width, true);
        current(offset, width, true).write((int) offset, (int) value);
    }

    private static void check(long offset, int width, boolean write) {
        if (offset < 0 || offset >= SIZE) {
            throw RegisterFaults.noRegister(NAME, write, offset, width);
        }
        if (width != 4 || (offset & 0xF) != 0) {
            throw RegisterFaults.badWidth(NAME, write, offset, width,
                    "APIC registers are 32 bits wide at 16-byte boundaries");
        }
    }

    private LocalApic current(long offset, int width, boolean write) {
        int cpu = currentCpu.getAsInt();
        if (cpu < 0 || cpu >= apics.length) {
            throw RegisterFaults.fault(NAME, write, offset, width, "thread " + Thread.currentThread().getName()
                    + (cpu < 0 ? " is no vCPU" : " is CPU " + cpu + ", which has no local APIC"));
        }
        return apics[cpu];
    }
}

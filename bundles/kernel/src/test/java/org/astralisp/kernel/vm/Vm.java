package org.astralisp.kernel.vm;

import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.ppc64.paging.RadixPageTableFormat;
import org.astralisp.hal.riscv64.paging.Sv39PageTableFormat;
import org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat;
import org.astralisp.kernel.api.irq.CrossCall;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.mm.Pmms;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * A VMM on a real machine's RAM, for the tests: the PMM over all of it, the architecture's page-table
 * format (x86-64 4-level, Sv39, radix with 64 KiB pages), and a cross-call of the test's choosing.
 */
final class Vm implements AutoCloseable {

    final Architecture architecture;
    final Machine machine;
    final PhysicalMemoryManager pmm;
    final PagedVirtualMemoryManager vmm;
    final int pageSize;

    private Vm(Architecture architecture, int cpus, CrossCall crossCall) {
        this(Machines.create(architecture), cpus, crossCall);
    }

    private Vm(Machine machine, int cpus, CrossCall crossCall) {
        this.architecture = machine.description().architecture();
        this.machine = machine;
        PhysicalMemory ram = machine.memory();
        PageTableFormat format = format(architecture);
        this.pageSize = format.pageSize();
        this.pmm = Pmms.over(ram, pageSize);
        this.vmm = new PagedVirtualMemoryManager(pmm, ram, format, cpus, crossCall);
    }

    /** One CPU, shootdowns on the calling thread. */
    static Vm on(Architecture architecture) {
        return new Vm(architecture, 1, new LocalCrossCall(1));
    }

    static Vm on(Architecture architecture, int cpus, CrossCall crossCall) {
        return new Vm(architecture, cpus, crossCall);
    }

    /** A VMM over {@code machine}'s RAM, which it closes with itself. */
    static Vm on(Machine machine, CrossCall crossCall) {
        return new Vm(machine, machine.cpus().size(), crossCall);
    }

    static PageTableFormat format(Architecture architecture) {
        return switch (architecture) {
            case X86_64 -> new FourLevelPageTableFormat();
            case RISCV64 -> new Sv39PageTableFormat();
            case PPC64 -> new RadixPageTableFormat();
        };
    }

    PagedAddressSpace space() {
        return (PagedAddressSpace) vmm.createAddressSpace();
    }

    long freeFrames() {
        return pmm.statistics().freeFrames();
    }

    /** A user data address of this architecture: 4 MiB, 16 pages in. */
    long base() {
        return 0x40_0000L;
    }

    long page(int n) {
        return base() + (long) n * pageSize;
    }

    @Override
    public void close() {
        machine.close();
    }
}

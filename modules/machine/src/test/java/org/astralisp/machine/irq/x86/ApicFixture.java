package org.astralisp.machine.irq.x86;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TimerScheduler;

/**
 * Two test vCPUs on an {@link ApicPlatform}, with register access as the OS does it: through the
 * shared local APIC page (as a given CPU) and the I/O APIC's IOREGSEL/IOWIN.
 */
final class ApicFixture implements AutoCloseable {

    final TimerScheduler timers = new TimerScheduler();
    final List<TestCpu> cpus = TestCpu.cpus(2);
    final AtomicInteger currentCpu = new AtomicInteger(-1);
    final ApicPlatform platform = new ApicPlatform(cpus, timers, currentCpu::get);

    ApicFixture() {
        for (TestCpu cpu : cpus) {
            cpu.attach(platform.interruptSources(cpu.id()));
        }
    }

    /** Software-enables every local APIC with spurious vector 0xFF and TPR 0. */
    ApicFixture enabled() {
        for (TestCpu cpu : cpus) {
            writeApic(cpu.id(), LocalApic.SVR, 0x1FF);
        }
        return this;
    }

    int readApic(int cpu, int offset) {
        currentCpu.set(cpu);
        return (int) platform.localApicPage().read(offset, 4);
    }

    void writeApic(int cpu, int offset, int value) {
        currentCpu.set(cpu);
        platform.localApicPage().write(offset, 4, Integer.toUnsignedLong(value));
    }

    int readIoApic(int register) {
        platform.ioApic().write(IoApic.IOREGSEL, 4, register);
        return (int) platform.ioApic().read(IoApic.IOWIN, 4);
    }

    void writeIoApic(int register, int value) {
        platform.ioApic().write(IoApic.IOREGSEL, 4, register);
        platform.ioApic().write(IoApic.IOWIN, 4, Integer.toUnsignedLong(value));
    }

    /** Programs pin {@code pin}: {@code low} is the low half of the entry, destination {@code cpu}. */
    void route(int pin, int low, int cpu) {
        writeIoApic(IoApic.REGISTER_REDIRECTION + 2 * pin + 1, cpu << 24);
        writeIoApic(IoApic.REGISTER_REDIRECTION + 2 * pin, low);
    }

    /** Bit {@code vector} of the bank (ISR, TMR or IRR) at {@code base} of {@code cpu}'s APIC. */
    boolean bankBit(int cpu, int base, int vector) {
        return (readApic(cpu, base + 0x10 * (vector / 32)) & (1 << (vector % 32))) != 0;
    }

    @Override
    public void close() {
        timers.close();
    }
}

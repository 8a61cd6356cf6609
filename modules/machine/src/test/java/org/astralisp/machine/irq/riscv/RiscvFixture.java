package org.astralisp.machine.irq.riscv;

import java.util.List;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TimerScheduler;

/** Two test harts on a {@link RiscvPlatform} with QEMU virt's 95 PLIC sources. */
final class RiscvFixture implements AutoCloseable {

    static final int SOURCES = 95;

    final TimerScheduler timers = new TimerScheduler();
    final List<TestCpu> harts = TestCpu.cpus(2);
    final RiscvPlatform platform = new RiscvPlatform(harts, timers, SOURCES);
    final Plic plic = platform.plic();
    final Clint clint = platform.clint();

    RiscvFixture() {
        for (TestCpu hart : harts) {
            hart.attach(platform.interruptSources(hart.id()));
        }
    }

    SystemRegister csr(int hart, int number) {
        return platform.systemRegisters(hart).get(number);
    }

    /** Sets {@code mie} of every hart to {@code bits}. */
    RiscvFixture enable(long bits) {
        for (TestCpu hart : harts) {
            csr(hart.id(), HartInterrupts.CSR_MIE).write(bits);
        }
        return this;
    }

    int readPlic(long offset) {
        return (int) plic.read(offset, 4);
    }

    void writePlic(long offset, int value) {
        plic.write(offset, 4, Integer.toUnsignedLong(value));
    }

    void priority(int source, int priority) {
        writePlic(4L * source, priority);
    }

    void enableSource(int context, int source) {
        long word = Plic.ENABLE_BASE + (long) Plic.ENABLE_STRIDE * context + 4L * (source / 32);
        writePlic(word, readPlic(word) | 1 << (source % 32));
    }

    void threshold(int context, int threshold) {
        writePlic(Plic.CONTEXT_BASE + (long) Plic.CONTEXT_STRIDE * context, threshold);
    }

    int claim(int context) {
        return readPlic(Plic.CONTEXT_BASE + (long) Plic.CONTEXT_STRIDE * context + Plic.CLAIM_COMPLETE);
    }

    void complete(int context, int source) {
        writePlic(Plic.CONTEXT_BASE + (long) Plic.CONTEXT_STRIDE * context + Plic.CLAIM_COMPLETE, source);
    }

    @Override
    public void close() {
        timers.close();
    }
}

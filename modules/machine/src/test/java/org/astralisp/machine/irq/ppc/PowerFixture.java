package org.astralisp.machine.irq.ppc;

import java.util.List;

import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TimerScheduler;

/** Two test CPUs on a {@link PowerPlatform}, with XIVE register access as the OS does it. */
final class PowerFixture implements AutoCloseable {

    final TimerScheduler timers = new TimerScheduler();
    final List<TestCpu> cpus = TestCpu.cpus(2);
    final PowerPlatform platform = new PowerPlatform(cpus, timers);
    final Xive xive = platform.xive();

    PowerFixture() {
        for (TestCpu cpu : cpus) {
            cpu.attach(platform.interruptSources(cpu.id()));
        }
    }

    int read(long offset) {
        return (int) xive.read(offset, 4);
    }

    void write(long offset, int value) {
        xive.write(offset, 4, Integer.toUnsignedLong(value));
    }

    /** Configures source {@code source}: priority, server, unmasked. */
    void configure(int source, int priority, int server) {
        write(Xive.SOURCE_BASE + 4L * source, priority | server << XiveSource.SERVER_SHIFT);
    }

    int configuration(int source) {
        return read(Xive.SOURCE_BASE + 4L * source);
    }

    long server(int server, int register) {
        return Xive.SERVER_BASE + (long) Xive.SERVER_STRIDE * server + register;
    }

    void cppr(int server, int value) {
        write(server(server, Xive.CPPR), value);
    }

    int acknowledge(int server) {
        return read(server(server, Xive.ACK));
    }

    void eoi(int server, int source) {
        write(server(server, Xive.EOI), source);
    }

    @Override
    public void close() {
        timers.close();
    }
}

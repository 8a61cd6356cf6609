package org.astralisp.kernel.irq;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.kernel.testing.ArchInterruptDrivers;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Mmio;

/**
 * A real machine of one architecture with its real HAL interrupt drivers (the
 * arch bundle's components, built as SCR would) and the kernel's interrupt
 * framework on its vCPUs; the goldfish RTC is the device whose line the tests
 * use: its alarm raises its level line until the handler clears it.
 */
final class KernelOnMachine implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(5);

    /** Goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c; docs/machine.md). */
    static final int ALARM_LOW = 0x08;
    static final int ALARM_HIGH = 0x0C;
    static final int IRQ_ENABLED = 0x10;
    static final int CLEAR_INTERRUPT = 0x1C;

    final Architecture architecture;
    final Machine machine;
    final InterruptController controller;
    final List<Timer> timers = new ArrayList<>();
    final Mmio rtc;
    InterruptFramework framework;

    KernelOnMachine(Architecture architecture) {
        this.architecture = architecture;
        this.machine = Machine.create(new MachineConfig(architecture, 2, 64L << 20, ""));
        ArchInterruptDrivers drivers = ArchInterruptDrivers.of(machine);
        this.controller = drivers.controller();
        this.timers.addAll(drivers.timers());
        var firmware = machine.firmware();
        var mmio = machine.mmio();
        AddressRange registers = PlatformDevices.of(firmware.deviceTree()).registers("google,goldfish-rtc");
        this.rtc = mmio.map(registers.address(), registers.size());
    }

    /** Boots the framework on every vCPU. */
    InterruptFramework start() throws InterruptedException {
        framework = new InterruptFramework(controller, machine.cpus(), timers);
        framework.start(WAIT);
        return framework;
    }

    /** The RTC's line: its interrupt specifier (docs/machine.md memory maps): I/O APIC pin 8, PLIC/XIVE source 11. */
    int rtcLine() {
        return architecture == Architecture.X86_64 ? 8 : 11;
    }

    /** Arms the RTC alarm in the past, so it fires at once and raises the line until cleared. */
    void raiseRtc() {
        rtc.write32(IRQ_ENABLED, 1);
        rtc.write32(ALARM_HIGH, 0);
        rtc.write32(ALARM_LOW, 1);
    }

    /** Lowers the RTC's line: what its handler does. */
    void clearRtc() {
        rtc.write32(CLEAR_INTERRUPT, 1);
    }

    /** Runs {@code action} on {@code cpu} through a cross call from this (non-vCPU) thread. */
    void onCpu(int cpu, IntConsumer action) {
        BitSet target = new BitSet();
        target.set(cpu);
        framework.runOn(target, action);
    }

    static BitSet cpus(int... ids) {
        BitSet set = new BitSet();
        for (int id : ids) {
            set.set(id);
        }
        return set;
    }

    /** Waits up to {@link #WAIT} for {@code condition}; fails naming {@code what}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Lets a delivery that should not happen have its chance. */
    static void settle() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(50);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (framework != null) {
                framework.stop(WAIT);
            }
        } finally {
            machine.close();
        }
    }
}

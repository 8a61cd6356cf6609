package org.astralisp.hal.api.irq.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.InterruptKind;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Cpu;

/**
 * A real machine model whose vCPUs run a tiny kernel: initialise the CPU's
 * part of the controller, enable interrupts, run the test's program, then
 * halt in a loop. The interrupt entry claims, counts, lets the timer clear
 * its expiry, runs the test's handler ({@link #onInterrupt}), and completes,
 * as the kernel's dispatcher will.
 */
public final class RunningMachine implements AutoCloseable {

    public final Machine machine;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final List<Long> timerNanos = new ArrayList<>();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile BiConsumer<Cpu, Interrupt> driver = (cpu, interrupt) -> { };

    public RunningMachine(Architecture architecture, int cpus) {
        machine = Machine.create(new MachineConfig(architecture, cpus, 64L << 20, ""));
    }

    /** Starts every vCPU; {@code programs.get(id)} runs on vCPU id after all CPUs are initialised. */
    public void start(InterruptController controller, List<Timer> timers, Map<Integer, Consumer<Cpu>> programs) {
        CountDownLatch initialised = new CountDownLatch(machine.cpus().size());
        for (Cpu cpu : machine.cpus()) {
            cpu.setInterruptEntry((c, cause) -> {
                Interrupt claimed = controller.claim(c.id(), cause);
                boolean timer = claimed.kind() == InterruptKind.TIMER;
                Interrupt counted = timer && !timers.get(c.id()).expired() ? Interrupt.SPURIOUS : claimed;
                if (counted.kind() == InterruptKind.TIMER) {
                    synchronized (timerNanos) {
                        timerNanos.add(System.nanoTime());
                    }
                }
                counts.computeIfAbsent(key(c.id(), counted), k -> new AtomicInteger()).incrementAndGet();
                try {
                    driver.accept(c, claimed);
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
                controller.complete(c.id(), claimed);
            });
            cpu.start(() -> {
                try {
                    controller.initializeCpu(cpu.id());
                    cpu.enableInterrupts();
                    initialised.countDown();
                    initialised.await(5, TimeUnit.SECONDS);
                    programs.getOrDefault(cpu.id(), c -> { }).accept(cpu);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
        }
    }

    /**
     * Runs {@code handler} for every interrupt claimed, on the claiming CPU,
     * after counting it and before completing it: where a device driver
     * quiets its device (a level line it leaves asserted is delivered again).
     */
    public void onInterrupt(BiConsumer<Cpu, Interrupt> handler) {
        driver = handler;
    }

    /** Whatever the tiny kernel or a handler threw. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    public static String key(int cpu, Interrupt interrupt) {
        return cpu + ":" + interrupt.kind() + (interrupt.line() >= 0 ? ":" + interrupt.line() : "");
    }

    public int count(int cpu, Interrupt interrupt) {
        AtomicInteger count = counts.get(key(cpu, interrupt));
        return count == null ? 0 : count.get();
    }

    /** Waits up to 5 s for {@code condition}; fails naming {@code what}. */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; counts " + counts + ", failures " + failures);
            }
            Thread.sleep(2);
        }
    }

    public List<Long> timerTimes() {
        synchronized (timerNanos) {
            return List.copyOf(timerNanos);
        }
    }

    @Override
    public void close() {
        machine.close();
    }
}

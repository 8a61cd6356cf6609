package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.astralisp.kernel.irq.KernelOnMachine.cpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.port.Cpu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults below the dispatcher: a controller whose claim or EOI throws, a vCPU
 * that refuses to start. The dispatcher logs them and the CPUs go on; a
 * half-done start is undone.
 */
class DispatcherFaultTest {

    private KernelOnMachine kernel;

    @AfterEach
    void powerOff() throws InterruptedException {
        kernel.close();
    }

    /** {@code real}, except that the {@code claim} and {@code complete} calls numbered in {@code failing} throw. */
    private static InterruptController failing(InterruptController real, String method, AtomicInteger failures) {
        return (InterruptController) Proxy.newProxyInstance(DispatcherFaultTest.class.getClassLoader(),
                new Class<?>[] {InterruptController.class}, (proxy, called, args) -> {
                    if (called.getName().equals(method) && failures.getAndDecrement() > 0) {
                        throw new IllegalStateException(method + " refused by the test");
                    }
                    try {
                        return called.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aClaimThatThrowsIsLoggedAndCountedUnknownAndTheCpuGoesOn() throws Exception {
        kernel = new KernelOnMachine(Architecture.RISCV64);
        AtomicInteger failures = new AtomicInteger(0);
        InterruptController controller = failing(kernel.controller, "claim", failures);
        kernel.framework = new InterruptFramework(controller, kernel.machine.cpus(), kernel.timers);
        kernel.framework.start(KernelOnMachine.WAIT);
        try (KernelLog log = KernelLog.of(InterruptFramework.class)) {
            failures.set(1);
            kernel.onCpu(0, cpu -> kernel.controller.sendIpi(1));
            await("the refused claim counted on CPU 1 and logged",
                    () -> kernel.framework.snapshot().unknown()[1] == 1 && !log.events().isEmpty());
            assertEquals("CPU 1: claiming cause 0x8000000000000003 failed",
                    log.events().getFirst().getFormattedMessage());
        }
        AtomicInteger ran = new AtomicInteger();
        kernel.onCpu(0, cpu -> kernel.framework.runOn(cpus(1), other -> ran.incrementAndGet()));
        assertEquals(1, ran.get(), "CPU 1 still takes IPIs");
    }

    @Test
    void anEoiThatThrowsIsLoggedAndTheCpuGoesOn() throws Exception {
        kernel = new KernelOnMachine(Architecture.PPC64);
        AtomicInteger failures = new AtomicInteger(0);
        InterruptController controller = failing(kernel.controller, "complete", failures);
        kernel.framework = new InterruptFramework(controller, kernel.machine.cpus(), kernel.timers);
        kernel.framework.start(KernelOnMachine.WAIT);
        AtomicInteger ran = new AtomicInteger();
        try (KernelLog log = KernelLog.of(InterruptFramework.class)) {
            failures.set(1);
            kernel.onCpu(0, cpu -> kernel.framework.runOn(cpus(1), other -> ran.incrementAndGet()));
            assertEquals(1, ran.get());
            await("the refused EOI logged", () -> !log.events().isEmpty());
            assertEquals(Level.ERROR, log.events().getFirst().getLevel());
            assertTrue(log.events().getFirst().getFormattedMessage().startsWith("CPU 1: completing Interrupt[kind=IPI"),
                    log.events().getFirst().getFormattedMessage());
        }
        // The XIVE source stays in service without its EOI; the idle loop itself still answers a wake-up.
        kernel.framework.runOn(cpus(1), other -> ran.incrementAndGet());
        assertEquals(2, ran.get(), "CPU 1 still runs cross calls");
    }

    @Test
    void aVcpuThatRefusesToStartStopsTheOthersAgain() throws Exception {
        kernel = new KernelOnMachine(Architecture.X86_64);
        Cpu real = kernel.machine.cpus().get(1);
        Cpu refusing = (Cpu) Proxy.newProxyInstance(DispatcherFaultTest.class.getClassLoader(),
                new Class<?>[] {Cpu.class}, (proxy, called, args) -> {
                    if (called.getName().equals("start")) {
                        throw new IllegalStateException("vcpu1 is powered off");
                    }
                    try {
                        return called.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        InterruptFramework framework = new InterruptFramework(kernel.controller,
                List.of(kernel.machine.cpus().getFirst(), refusing), kernel.timers);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> framework.start(KernelOnMachine.WAIT));
        assertEquals("interrupt framework: vcpu1 is powered off; the CPUs started are stopped again", e.getMessage());
        assertTrue(kernel.machine.cpus().stream().noneMatch(Cpu::running), "CPU 0 was stopped again");
    }

    @Test
    void aFrameworkNeedsAVcpuAndATimerForEveryCpu() {
        kernel = new KernelOnMachine(Architecture.RISCV64);
        assertEquals("CPU 1 of plic+clint has no vCPU", assertThrows(IllegalArgumentException.class,
                () -> new InterruptFramework(kernel.controller, kernel.machine.cpus().subList(0, 1), kernel.timers))
                .getMessage());
        assertEquals("CPU 1 of plic+clint has no timer", assertThrows(IllegalArgumentException.class,
                () -> new InterruptFramework(kernel.controller, kernel.machine.cpus(), kernel.timers.subList(0, 1)))
                .getMessage());
    }
}

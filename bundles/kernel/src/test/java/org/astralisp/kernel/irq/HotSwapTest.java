package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.astralisp.kernel.irq.KernelOnMachine.cpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.CpuInterrupts;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.api.irq.InterruptRequestException;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.RecordingContext;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.port.Cpu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hot swap: the framework stops (its vCPUs return and are STOPPED, its lines
 * masked) and another starts them again on the same running machine; and the
 * bring-up component that does it when the kernel bundle stops or updates.
 */
class HotSwapTest {

    private KernelOnMachine kernel;

    @AfterEach
    void powerOff() throws InterruptedException {
        kernel.close();
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aStoppedFrameworkLeavesTheVcpusStoppedAndANewOneStartsThemAgain(Architecture architecture)
            throws Exception {
        kernel = new KernelOnMachine(architecture);
        InterruptFramework first = kernel.start();
        AtomicInteger oldHandler = new AtomicInteger();
        InterruptRegistration old = first.request(new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 0),
                c -> {
                    kernel.clearRtc();
                    oldHandler.incrementAndGet();
                });
        assertEquals(List.of(), first.stop(KernelOnMachine.WAIT));
        assertTrue(kernel.machine.cpus().stream().noneMatch(Cpu::running), "every vCPU is STOPPED");
        kernel.raiseRtc();
        KernelOnMachine.settle();
        assertEquals(0, oldHandler.get(), "the stopped framework's line was masked");
        assertEquals("rtc0 on interrupt line " + kernel.rtcLine() + ": the interrupt framework was stopped",
                assertThrows(IllegalStateException.class, old::unmask).getMessage());
        old.close();
        assertEquals("interrupt line 5 (late): the interrupt framework is stopped", assertThrows(
                InterruptRequestException.class,
                () -> first.request(new InterruptRequest("late", 5, Trigger.LEVEL, 1, 0), c -> { })).getMessage());

        InterruptFramework second = kernel.start();
        assertTrue(kernel.machine.cpus().stream().allMatch(Cpu::running), "started again");
        InterruptRegistration fresh = second.request(
                new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 1), c -> kernel.clearRtc());
        await("the alarm raised while stopped, on the new framework's CPU 1", () -> fresh.count(1) == 1);
        AtomicInteger ran = new AtomicInteger();
        second.runOn(cpus(0, 1), cpu -> ran.incrementAndGet());
        assertEquals(2, ran.get());
        assertEquals(0, oldHandler.get());
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "X86_64")
    void aFrameworkDoesNotStartVcpusAnotherKernelIsRunning(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        kernel.start();
        InterruptFramework intruder = new InterruptFramework(kernel.controller, kernel.machine.cpus(), kernel.timers);
        assertEquals("CPU 0, CPU 1 running already: another kernel has not returned from it",
                assertThrows(IllegalStateException.class, () -> intruder.start(KernelOnMachine.WAIT)).getMessage());
        assertEquals("the interrupt framework was started already",
                assertThrows(IllegalStateException.class, () -> kernel.framework.start(KernelOnMachine.WAIT))
                        .getMessage());
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theComponentRegistersTheFrameworkOnceUpAndStopsTheVcpusOnDeactivation(Architecture architecture)
            throws Exception {
        kernel = new KernelOnMachine(architecture);
        List<Cpu> cpus = kernel.machine.cpus();
        for (int generation = 1; generation <= 2; generation++) {
            RecordingContext context = new RecordingContext();
            InterruptsComponent component = new InterruptsComponent(context.context, kernel.controller,
                    kernel.timers, cpus);
            assertTrue(component.running(), "generation " + generation);
            assertTrue(cpus.stream().allMatch(Cpu::running));
            InterruptManager manager = context.service(InterruptManager.class);
            assertSame(manager, context.service(CpuInterrupts.class));
            assertEquals(2, manager.cpus());
            ConsoleCommand command = context.service(ConsoleCommand.class);
            assertEquals("interrupts", command.name());
            AtomicInteger ran = new AtomicInteger();
            manager.crossCall().runOn(cpus(0, 1), cpu -> ran.incrementAndGet());
            assertEquals(2, ran.get());
            component.deactivate();
            assertTrue(context.services.isEmpty(), "unregistered: " + context.services.keySet());
            assertTrue(cpus.stream().noneMatch(Cpu::running), "generation " + generation + " left vCPUs running");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "RISCV64")
    void theComponentWaitsForEveryCpusTimerAndVcpu(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        RecordingContext context = new RecordingContext();
        try (KernelLog log = KernelLog.of(InterruptsComponent.class)) {
            InterruptsComponent component = new InterruptsComponent(context.context, kernel.controller,
                    kernel.timers.subList(0, 1), kernel.machine.cpus());
            assertFalse(component.running());
            assertNull(component.framework());
            assertTrue(context.services.isEmpty());
            assertTrue(kernel.machine.cpus().stream().noneMatch(Cpu::running));
            component.deactivate();
            assertEquals("interrupts: plic+clint has 2 CPUs; waiting for their timers (1 so far) and vCPUs (2 so far)",
                    log.events().getFirst().getFormattedMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "PPC64")
    void aCpuThatCannotBeStartedLeavesNoServicesAndAnError(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        kernel.start();
        RecordingContext context = new RecordingContext();
        try (KernelLog log = KernelLog.of(InterruptsComponent.class)) {
            InterruptsComponent component = new InterruptsComponent(context.context, kernel.controller,
                    kernel.timers, kernel.machine.cpus());
            assertFalse(component.running());
            assertTrue(context.services.isEmpty());
            assertEquals(Level.ERROR, log.events().getFirst().getLevel());
            assertEquals("interrupts: no interrupt framework: CPU 0, CPU 1 running already: another kernel has not"
                    + " returned from it", log.events().getFirst().getFormattedMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = "X86_64")
    void theCommandOfTheComponentPrintsTheFrameworksCounters(Architecture architecture) throws Exception {
        kernel = new KernelOnMachine(architecture);
        RecordingContext context = new RecordingContext();
        InterruptsComponent component = new InterruptsComponent(context.context, kernel.controller, kernel.timers,
                kernel.machine.cpus());
        try {
            StringWriter text = new StringWriter();
            context.service(ConsoleCommand.class).execute(List.of(), new PrintWriter(text, true));
            assertTrue(text.toString().startsWith("           CPU0       CPU1\nLOC:          0          0  timer"),
                    text.toString());
            assertInstanceOf(InterruptFramework.class, context.service(InterruptManager.class));
        } finally {
            component.deactivate();
        }
    }
}

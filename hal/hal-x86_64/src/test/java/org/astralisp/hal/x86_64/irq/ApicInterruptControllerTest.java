package org.astralisp.hal.x86_64.irq;

import org.astralisp.hal.api.irq.testing.RunningMachine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.hal.api.irq.Interrupt;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.InvalidLineException;
import org.astralisp.hal.api.irq.InvalidPriorityException;
import org.astralisp.hal.api.irq.Timer;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.hal.api.paging.testing.ComponentDescription;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The APIC drivers on the real x86_64 machine model. The machine gives a test
 * no handle on an I/O APIC input pin, so device lines are checked at the
 * register level (the redirection entries the model holds), and delivery,
 * masking, EOI and counting through IPIs and the APIC timer.
 */
class ApicInterruptControllerTest {

    private RunningMachine running;
    private ApicInterruptController controller;
    private List<Timer> timers;

    @BeforeEach
    void boot() {
        running = new RunningMachine(Architecture.X86_64, 2);
        Machine machine = running.machine;
        controller = new ApicInterruptController(machine.firmware(), machine.mmio());
        timers = ApicTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
    }

    @AfterEach
    void powerOff() {
        running.close();
    }

    private void start(Map<Integer, java.util.function.Consumer<Cpu>> programs) {
        running.start(controller, timers, programs);
    }

    @Test
    void ipiReachesOnlyTheTargetCpu() throws InterruptedException {
        start(Map.of(0, cpu -> controller.sendIpi(1)));
        running.await("the IPI on CPU 1", () -> running.count(1, Interrupt.IPI) == 1);
        Thread.sleep(50);
        assertEquals(0, running.count(0, Interrupt.IPI));
        assertEquals(1, running.count(1, Interrupt.IPI));
    }

    @Test
    void endOfInterruptLetsTheSameVectorInAgain() throws InterruptedException {
        start(Map.of(0, cpu -> {
            for (int i = 0; i < 3; i++) {
                controller.sendIpi(0);
                cpu.pollInterrupts();
            }
        }));
        running.await("three self-IPIs", () -> running.count(0, Interrupt.IPI) == 3);
    }

    @Test
    void withoutEndOfInterruptTheVectorStaysInService() throws InterruptedException {
        AtomicInteger taken = new AtomicInteger();
        for (Cpu cpu : running.machine.cpus()) {
            cpu.setInterruptEntry((c, cause) -> taken.incrementAndGet());
        }
        Cpu cpu0 = running.machine.cpus().getFirst();
        cpu0.start(() -> {
            controller.initializeCpu(0);
            cpu0.enableInterrupts();
            for (int i = 0; i < 3; i++) {
                controller.sendIpi(0);
                cpu0.pollInterrupts();
            }
            while (true) {
                cpu0.waitForInterrupt();
            }
        });
        running.await("the first IPI", () -> taken.get() == 1);
        Thread.sleep(50);
        assertEquals(1, taken.get());
    }

    @Test
    void thresholdIsTheTaskPriorityClassAndHoldsNoIpiBack() throws InterruptedException {
        Mmio page = running.machine.mmio().map(0xFEE0_0000L, 0x1000);
        AtomicReference<List<Integer>> tprs = new AtomicReference<>();
        start(Map.of(0, cpu -> {
            controller.setThreshold(0, 6);
            int highest = page.read32(LocalApicRegisters.TPR);
            controller.sendIpi(0);
            cpu.pollInterrupts();
            controller.setThreshold(0, 1);
            int lowest = page.read32(LocalApicRegisters.TPR);
            controller.setThreshold(0, 0);
            tprs.set(List.of(highest, lowest, page.read32(LocalApicRegisters.TPR)));
        }));
        running.await("the IPI above the threshold", () -> running.count(0, Interrupt.IPI) == 1);
        running.await("the TPR values", () -> tprs.get() != null);
        assertEquals(List.of(0xD0, 0x30, 0), tprs.get());
    }

    @Test
    void redirectionEntriesCarryVectorTriggerMaskAndDestination() {
        Mmio ioApic = running.machine.mmio().map(0xFEC0_0000L, 0x20);
        assertEquals(0x10020L, entry(ioApic, 0) & 0xFFFF_FFFFL, "reset: masked, edge, vector 32");
        controller.configure(4, Trigger.LEVEL);
        controller.setPriority(4, 3);
        controller.route(4, 1);
        controller.enable(4);
        assertEquals(0x0100_0000_0000_8000L | 32 * 3 + 4, entry(ioApic, 4));
        controller.disable(4);
        assertEquals(0x0100_0000_0001_8000L | 32 * 3 + 4, entry(ioApic, 4));
        controller.configure(4, Trigger.EDGE);
        assertEquals(0x0100_0000_0001_0000L | 32 * 3 + 4, entry(ioApic, 4));
    }

    private static long entry(Mmio ioApic, int pin) {
        ioApic.write32(0, 0x10 + 2 * pin);
        long low = ioApic.read32(0x10) & 0xFFFF_FFFFL;
        ioApic.write32(0, 0x11 + 2 * pin);
        return (long) ioApic.read32(0x10) << 32 | low;
    }

    @Test
    void vectorsNameTheirPinPriorityLevelsStackAboveEachOther() {
        assertEquals(Interrupt.external(4), controller.claim(0, 32 * 3 + 4));
        assertEquals(Interrupt.external(23), controller.claim(1, 32 * 6 + 23));
        assertEquals(Interrupt.TIMER, controller.claim(0, 0xE0));
        assertEquals(Interrupt.IPI, controller.claim(0, 0xF0));
        assertEquals(Interrupt.SPURIOUS, controller.claim(0, 0xFF));
        assertEquals(Interrupt.UNKNOWN, controller.claim(0, 32 + 24));
        assertEquals(Interrupt.UNKNOWN, controller.claim(0, 0x10));
        assertEquals(Interrupt.UNKNOWN, controller.claim(0, 1L << 40));
        assertTrue(32 * 2 + 0 > 32 * 1 + 23, "every vector of level 2 is above every vector of level 1");
    }

    @Test
    void describesItself() {
        assertEquals("ioapic+lapic", controller.name());
        assertEquals(2, controller.cpus());
        assertEquals(0, controller.firstLine());
        assertEquals(23, controller.lastLine());
        assertEquals(6, controller.maxPriority());
    }

    @Test
    void refusesLinesCpusAndPrioritiesItDoesNotHave() {
        assertThrows(InvalidLineException.class, () -> controller.enable(24));
        assertThrows(InvalidLineException.class, () -> controller.disable(-1));
        assertThrows(InvalidLineException.class, () -> controller.configure(24, Trigger.EDGE));
        assertThrows(InvalidCpuException.class, () -> controller.route(0, 2));
        assertThrows(InvalidCpuException.class, () -> controller.sendIpi(2));
        assertThrows(InvalidCpuException.class, () -> controller.claim(5, 0xF0));
        assertThrows(InvalidPriorityException.class, () -> controller.setPriority(0, 7));
        assertThrows(InvalidPriorityException.class, () -> controller.setThreshold(0, -1));
    }

    @Test
    void perCpuCallsOnAnotherCpuAreRefused() throws InterruptedException {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        start(Map.of(0, cpu -> {
            try {
                controller.setThreshold(1, 0);
            } catch (InvalidCpuException e) {
                refused.set(e);
            }
            try {
                timers.get(1).cancel();
            } catch (InvalidCpuException e) {
                refused.compareAndSet(null, e);
            }
        }));
        running.await("the refusal", () -> refused.get() != null);
        assertEquals("CPU 1: its local APIC was addressed from CPU 0; per-CPU calls run on the CPU itself",
                refused.get().getMessage());
    }

    @Test
    void findsNothingOnAnotherMachine() {
        try (Machine riscv = Machine.create(new MachineConfig(Architecture.RISCV64, 1, 64L << 20, ""))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new ApicInterruptController(riscv.firmware(), riscv.mmio()));
            assertEquals("no \"intel,ce4100-ioapic\" node in the device tree", e.getMessage());
        }
    }

    @Test
    void refusesAMalformedDeviceTree() {
        Firmware garbage = () -> ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ApicInterruptController(garbage, running.machine.mmio()));
        assertTrue(e.getMessage().startsWith("the firmware's device tree is malformed: offset 0x0: bad magic"),
                e.getMessage());
    }

    @Test
    void componentIsBoundToTheX86Firmware() throws Exception {
        ComponentDescription description = ComponentDescription.of(ApicInterruptController.class);
        assertEquals(InterruptController.class.getName(), description.providedInterface());
        assertEquals("x86_64", description.property("arch"));
        assertEquals("(arch=x86_64)", description.referenceTarget(Firmware.class.getName()));
        assertEquals("(arch=x86_64)", ComponentDescription.of(ApicTimers.class).referenceTarget(Firmware.class.getName()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void registersOneTimerPerCpuForAsLongAsItIsActive() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<Timer> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(Timer.class), any(Timer.class), any(Dictionary.class))).thenReturn(registration);
        Machine machine = running.machine;
        ApicTimers component = new ApicTimers(context, machine.firmware(), machine.mmio(), machine.cpus());
        var properties = org.mockito.ArgumentCaptor.forClass(Dictionary.class);
        verify(context, times(2)).registerService(eq(Timer.class), any(Timer.class), properties.capture());
        assertEquals(List.of(0, 1), properties.getAllValues().stream().map(p -> p.get("cpu.id")).toList());
        assertEquals("x86_64", properties.getValue().get("arch"));
        component.deactivate();
        verify(registration, times(2)).unregister();
    }

    @Test
    void controllerOnTheTestThreadIsNotACpu() {
        Exception e = assertThrows(RuntimeException.class, () -> controller.initializeCpu(0));
        assertInstanceOf(org.astralisp.machine.port.MachineCheckException.class, e);
        assertFalse(e.getMessage().isEmpty());
    }
}

package org.astralisp.hal.ppc64.irq;

import org.astralisp.hal.api.irq.testing.RunningMachine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The XIVE driver on the real ppc64 machine model. The machine gives a test no
 * handle on a device source, so lines are checked at the register level
 * (source configuration, CPPR), and delivery, ACK/EOI and counting through the
 * per-CPU IPI sources and the decrementer.
 */
class XiveInterruptControllerTest {

    private static final long XIVE = 0x0006_0000_0000_0000L;

    private RunningMachine running;
    private XiveInterruptController controller;
    private List<Timer> timers;
    private Mmio xive;

    @BeforeEach
    void boot() {
        running = new RunningMachine(Architecture.PPC64, 2);
        Machine machine = running.machine;
        controller = new XiveInterruptController(machine.firmware(), machine.mmio());
        timers = Decrementers.create(machine.firmware(), machine.cpus());
        xive = machine.mmio().map(XIVE, 0x10000 + 0x1000 * 2);
    }

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void ipiReachesOnlyTheTargetCpu() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> controller.sendIpi(1)));
        running.await("the IPI on CPU 1", () -> running.count(1, Interrupt.IPI) == 1);
        Thread.sleep(50);
        assertEquals(0, running.count(0, Interrupt.IPI));
        assertEquals(1, running.count(1, Interrupt.IPI));
    }

    @Test
    void endOfInterruptLetsTheIpiSourceInAgain() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> {
            for (int i = 0; i < 3; i++) {
                controller.sendIpi(0);
                cpu.pollInterrupts();
            }
        }));
        running.await("three self-IPIs", () -> running.count(0, Interrupt.IPI) == 3);
    }

    @Test
    void withoutEndOfInterruptTheSourceStaysInService() throws InterruptedException {
        AtomicInteger taken = new AtomicInteger();
        Cpu cpu0 = running.machine.cpus().getFirst();
        cpu0.setInterruptEntry((c, cause) -> {
            if (controller.claim(0, cause).equals(Interrupt.IPI)) {
                taken.incrementAndGet();
            }
        });
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
    void completeRestoresTheThresholdAfterTheAckRaisedIt() throws InterruptedException {
        running.start(controller, timers, Map.of(1, cpu -> {
            controller.setThreshold(1, 3);
            controller.sendIpi(1);
            cpu.pollInterrupts();
        }));
        running.await("the IPI", () -> running.count(1, Interrupt.IPI) == 1);
        assertEquals(5, xive.read32(0x10000 + 0x1000 + 0x0), "CPPR 8 - 3");
    }

    @Test
    void sourceConfigurationCarriesPriorityServerAndMask() {
        assertEquals(0x0100_0007, xive.read32(0x1000 + 4 * 9) & 0x01FF_FFFF, "reset: masked, priority 1");
        controller.setPriority(9, 7);
        controller.route(9, 1);
        controller.enable(9);
        assertEquals(0x0000_0101, xive.read32(0x1000 + 4 * 9) & 0x01FF_FFFF);
        controller.disable(9);
        assertEquals(0x0100_0101, xive.read32(0x1000 + 4 * 9) & 0x01FF_FFFF);
    }

    @Test
    void causesMapToKinds() {
        assertEquals(Interrupt.TIMER, controller.claim(0, 0x900));
        assertEquals(Interrupt.SPURIOUS, controller.claim(0, 0x500), "an empty ACK");
        assertEquals(Interrupt.UNKNOWN, controller.claim(0, 0xA00));
        controller.complete(0, Interrupt.SPURIOUS);
    }

    @Test
    void describesItselfFromItsRegisters() {
        assertEquals("xive", controller.name());
        assertEquals(2, controller.cpus());
        assertEquals(1, controller.firstLine());
        assertEquals(64, controller.lastLine());
        assertEquals(7, controller.maxPriority());
    }

    @Test
    void refusesWhatItDoesNotHave() {
        assertThrows(InvalidLineException.class, () -> controller.enable(0));
        assertThrows(InvalidLineException.class, () -> controller.disable(65));
        assertThrows(InvalidCpuException.class, () -> controller.route(1, 2));
        assertThrows(InvalidCpuException.class, () -> controller.sendIpi(2));
        assertThrows(InvalidCpuException.class, () -> controller.initializeCpu(-1));
        assertThrows(InvalidCpuException.class, () -> controller.claim(2, 0x500));
        assertThrows(InvalidCpuException.class, () -> controller.complete(2, Interrupt.IPI));
        assertThrows(InvalidPriorityException.class, () -> controller.setPriority(1, 8));
        assertThrows(InvalidPriorityException.class, () -> controller.setThreshold(0, -1));
    }

    @Test
    void triggerIsTheOneTheMachineWired() {
        boolean level = (xive.read32(0x1000 + 4 * 64) & 1 << 28) != 0;
        Trigger wired = level ? Trigger.LEVEL : Trigger.EDGE;
        Trigger other = level ? Trigger.EDGE : Trigger.LEVEL;
        controller.configure(64, wired);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> controller.configure(64, other));
        assertEquals("xive: line 64 cannot be made " + other + ": the machine wired it " + wired, e.getMessage());
    }

    @Test
    void findsNothingOnAnotherMachine() {
        try (Machine x86 = Machine.create(new MachineConfig(Architecture.X86_64, 1, 64L << 20, ""))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new XiveInterruptController(x86.firmware(), x86.mmio()));
            assertEquals("no \"astralisp,xive\" node in the device tree", e.getMessage());
        }
    }

    @Test
    void refusesAMalformedDeviceTree() {
        Firmware garbage = () -> ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThrows(IllegalStateException.class, () -> new XiveInterruptController(garbage, running.machine.mmio()));
    }

    @Test
    void componentIsBoundToThePowerFirmware() throws Exception {
        ComponentDescription description = ComponentDescription.of(XiveInterruptController.class);
        assertEquals(InterruptController.class.getName(), description.providedInterface());
        assertEquals("ppc64", description.property("arch"));
        assertEquals("(arch=ppc64)", description.referenceTarget(Firmware.class.getName()));
        assertEquals("(arch=ppc64)", ComponentDescription.of(Decrementers.class).referenceTarget(Firmware.class.getName()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void registersOneDecrementerPerCpuForAsLongAsItIsActive() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<Timer> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(Timer.class), any(Timer.class), any(Dictionary.class))).thenReturn(registration);
        Decrementers component = new Decrementers(context, running.machine.firmware(), running.machine.cpus());
        verify(context, times(2)).registerService(eq(Timer.class), any(Timer.class), any(Dictionary.class));
        component.deactivate();
        verify(registration, times(2)).unregister();
    }
}

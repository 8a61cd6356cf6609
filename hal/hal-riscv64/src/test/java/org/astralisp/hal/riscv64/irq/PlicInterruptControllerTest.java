package org.astralisp.hal.riscv64.irq;

import org.astralisp.hal.api.irq.testing.RunningMachine;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The PLIC/CLINT driver on the real riscv64 machine model. The machine gives
 * a test no handle on a PLIC source, so lines are checked at the register
 * level (priority, per-context enable bits, threshold), and delivery, counting
 * and re-arming through IPIs ({@code msip}) and the timer.
 */
class PlicInterruptControllerTest {

    private static final long PLIC = 0x0C00_0000L;

    private RunningMachine running;
    private PlicInterruptController controller;
    private List<Timer> timers;
    private Mmio plic;

    @BeforeEach
    void boot() {
        running = new RunningMachine(Architecture.RISCV64, 2);
        Machine machine = running.machine;
        controller = new PlicInterruptController(machine.firmware(), machine.mmio(), machine.cpus());
        timers = ClintTimers.create(machine.firmware(), machine.mmio(), machine.cpus());
        plic = machine.mmio().map(PLIC, 0x20_0000 + 0x1000 * 4);
    }

    @AfterEach
    void powerOff() {
        running.close();
    }

    @Test
    void ipiReachesOnlyTheTargetHart() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> controller.sendIpi(1)));
        running.await("the IPI on hart 1", () -> running.count(1, Interrupt.IPI) == 1);
        Thread.sleep(50);
        assertEquals(0, running.count(0, Interrupt.IPI));
        assertEquals(1, running.count(1, Interrupt.IPI));
    }

    @Test
    void claimingClearsMsipSoEachIpiIsTakenOnce() throws InterruptedException {
        running.start(controller, timers, Map.of(0, cpu -> {
            for (int i = 0; i < 3; i++) {
                controller.sendIpi(0);
                cpu.pollInterrupts();
            }
        }));
        running.await("three self-IPIs", () -> running.count(0, Interrupt.IPI) == 3);
        Thread.sleep(50);
        assertEquals(3, running.count(0, Interrupt.IPI));
    }

    @Test
    void initialisationEnablesTheMachineInterruptsOfEachHart() throws InterruptedException {
        running.start(controller, timers, Map.of());
        for (Cpu cpu : running.machine.cpus()) {
            running.await("mie of hart " + cpu.id(), () -> cpu.readSystemRegister(0x304) == 0x888);
        }
    }

    @Test
    void routingSetsTheEnableBitInExactlyTheTargetsMachineContext() {
        controller.enable(33);
        assertEquals(2, plic.read32(0x2000 + 4));
        controller.route(33, 1);
        assertEquals(0, plic.read32(0x2000 + 4));
        assertEquals(2, plic.read32(0x2000 + 0x80 * 2 + 4), "context 2 is hart 1's M-mode context");
        assertEquals(0, plic.read32(0x2000 + 0x80 * 3 + 4), "never the S-mode context");
        controller.disable(33);
        assertEquals(0, plic.read32(0x2000 + 0x80 * 2 + 4));
        controller.route(33, 0);
        assertEquals(0, plic.read32(0x2000 + 4), "a disabled line stays disabled when routed");
    }

    @Test
    void priorityAndThresholdAreThePlicsOwn() {
        controller.setPriority(10, 7);
        assertEquals(7, plic.read32(4 * 10));
        assertEquals(1, plic.read32(4 * 11), "lines start at priority 1");
        controller.setThreshold(1, 5);
        assertEquals(5, plic.read32(0x20_0000 + 0x1000 * 2));
    }

    @Test
    void causesMapToKinds() {
        assertEquals(Interrupt.TIMER, controller.claim(0, PlicInterruptController.MACHINE_TIMER));
        assertEquals(Interrupt.SPURIOUS, controller.claim(0, PlicInterruptController.MACHINE_EXTERNAL),
                "an empty claim");
        assertEquals(Interrupt.UNKNOWN, controller.claim(0, 0x8000_0000_0000_0009L));
    }

    @Test
    void describesItselfFromTheDeviceTree() {
        assertEquals("plic+clint", controller.name());
        assertEquals(2, controller.cpus());
        assertEquals(1, controller.firstLine());
        assertEquals(95, controller.lastLine());
        assertEquals(7, controller.maxPriority());
    }

    @Test
    void refusesWhatThePlicCannotDo() {
        assertThrows(InvalidLineException.class, () -> controller.enable(0));
        assertThrows(InvalidLineException.class, () -> controller.disable(96));
        assertThrows(InvalidCpuException.class, () -> controller.route(1, 2));
        assertThrows(InvalidCpuException.class, () -> controller.sendIpi(-1));
        assertThrows(InvalidCpuException.class, () -> controller.complete(2, Interrupt.IPI));
        assertThrows(InvalidPriorityException.class, () -> controller.setPriority(1, 0));
        assertThrows(InvalidPriorityException.class, () -> controller.setThreshold(0, 8));
        controller.configure(1, Trigger.LEVEL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> controller.configure(1, Trigger.EDGE));
        assertTrue(e.getMessage().contains("PLIC gateways are fixed by the platform"), e.getMessage());
    }

    @Test
    void findsNothingOnAnotherMachine() {
        try (Machine x86 = Machine.create(new MachineConfig(Architecture.X86_64, 1, 64L << 20, ""))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new PlicInterruptController(x86.firmware(), x86.mmio(), x86.cpus()));
            assertEquals("no \"riscv,plic0\" node in the device tree", e.getMessage());
        }
    }

    @Test
    void refusesAMalformedDeviceTree() {
        Firmware garbage = () -> ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThrows(IllegalStateException.class,
                () -> new PlicInterruptController(garbage, running.machine.mmio(), running.machine.cpus()));
    }

    @Test
    void componentIsBoundToTheRiscvFirmware() throws Exception {
        ComponentDescription description = ComponentDescription.of(PlicInterruptController.class);
        assertEquals(InterruptController.class.getName(), description.providedInterface());
        assertEquals("riscv64", description.property("arch"));
        assertEquals("(arch=riscv64)", description.referenceTarget(Firmware.class.getName()));
        assertEquals("(arch=riscv64)", ComponentDescription.of(ClintTimers.class).referenceTarget(Firmware.class.getName()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void registersOneTimerPerHartForAsLongAsItIsActive() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<Timer> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(Timer.class), any(Timer.class), any(Dictionary.class))).thenReturn(registration);
        Machine machine = running.machine;
        ClintTimers component = new ClintTimers(context, machine.firmware(), machine.mmio(), machine.cpus());
        verify(context, times(2)).registerService(eq(Timer.class), any(Timer.class), any(Dictionary.class));
        component.deactivate();
        verify(registration, times(2)).unregister();
    }
}

package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.ByteBuffer;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.kernel.api.irq.DeferredWork;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.irq.InterruptRequestException;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;
import org.astralisp.machine.port.MmioSpace;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/** The component's refusals: one ERROR line naming the problem, no terminal, nothing left behind. */
class SerialConsoleComponentTest {

    private final BundleContext context = mock(BundleContext.class);

    @Test
    void aTreeWithoutAConsoleRegistersNothingAndSaysWhy() throws Exception {
        MmioSpace mmio = mock(MmioSpace.class);
        InterruptManager interrupts = mock(InterruptManager.class);
        byte[] blob = FlattenedDeviceTreeWriter.write(DeviceTreeNode.root(), 0);
        var tree = FlattenedDeviceTree.parse(ByteBuffer.wrap(blob));
        try (KernelLog log = KernelLog.of(SerialConsoleComponent.class)) {
            SerialConsoleComponent component = new SerialConsoleComponent(tree, mmio, interrupts, context);
            ILoggingEvent event = log.events().getFirst();
            assertEquals(Level.ERROR, event.getLevel());
            assertEquals("no console terminal: no /chosen node: the firmware names no console",
                    event.getFormattedMessage());
            assertNull(component.terminal());
            assertNull(component.driver());
            component.deactivate();
        }
        verifyNoInteractions(context, mmio, interrupts);
    }

    @Test
    void aRefusedInterruptLineRegistersNothingAndLeavesTheUartQuiet() throws Exception {
        InterruptManager interrupts = mock(InterruptManager.class);
        when(interrupts.deferredWork(anyString(), any())).thenReturn(mock(DeferredWork.class));
        when(interrupts.request(any(), any())).thenThrow(new InterruptRequestException("line 10: taken by an edge"));
        try (Machine machine = Machines.create(Architecture.RISCV64);
                KernelLog log = KernelLog.of(SerialConsoleComponent.class)) {
            SerialConsoleComponent component = new SerialConsoleComponent(Machines.deviceTree(machine),
                    machine.mmio(), interrupts, context);
            assertEquals("no console terminal: line 10: taken by an edge",
                    log.events().getFirst().getFormattedMessage());
            assertNull(component.terminal());
            var uart = machine.mmio().map(0x1000_0000L, 0x100);
            assertEquals(0, uart.read8(Uart16550Driver.IER), "the UART interrupts nothing");
        }
        verifyNoInteractions(context);
        verify(interrupts).deferredWork(anyString(), any());
    }
}

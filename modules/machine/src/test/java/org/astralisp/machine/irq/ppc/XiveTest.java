package org.astralisp.machine.irq.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XiveTest {

    private final PowerFixture machine = new PowerFixture();
    private final TestCpu cpu0 = machine.cpus.get(0);
    private final TestCpu cpu1 = machine.cpus.get(1);

    @AfterEach
    void close() {
        machine.close();
    }

    private IrqLine source(int number, TriggerMode trigger, int priority, int server) {
        IrqLine line = machine.platform.line(number, trigger);
        machine.configure(number, priority, server);
        machine.cppr(server, 0xFF);
        return line;
    }

    @Test
    void identificationRegistersDescribeTheController() {
        assertEquals(0x5849_5645, machine.read(Xive.ID));
        assertEquals(0x0001_0000, machine.read(Xive.VERSION));
        assertEquals(1 + 64 + 2, machine.read(Xive.SOURCES));
        assertEquals(2, machine.read(Xive.SERVERS));
        assertEquals(65, machine.read(Xive.IPI_BASE_REGISTER));
    }

    @Test
    void sourcesStartMaskedAtTheLeastFavouredPriority() {
        assertEquals(XiveSource.MASKED | 0xFF, machine.configuration(10));
        assertEquals(XiveSource.MASKED | 0xFF | 1 << XiveSource.SERVER_SHIFT, machine.configuration(66));
        assertEquals(0, machine.read(machine.server(0, Xive.CPPR)));
    }

    @Test
    void aSourceRaisedIsAnExternalInterruptOfItsTargetServer() {
        source(10, TriggerMode.LEVEL, 5, 1).raise();
        assertTrue(cpu1.kicks() > 0);
        assertFalse(cpu0.interruptPending());
        assertEquals(OptionalLong.of(Xive.EXTERNAL_CAUSE), cpu1.take());
        assertEquals(5, machine.read(machine.server(1, Xive.PIPR)));
    }

    @Test
    void acknowledgeReturnsTheOldCpprAndTheSourceAndRaisesCppr() {
        source(10, TriggerMode.LEVEL, 5, 1).raise();
        assertEquals(0xFF00_000A, machine.acknowledge(1));
        assertEquals(5, machine.read(machine.server(1, Xive.CPPR)));
        assertFalse(cpu1.interruptPending());
        assertTrue((machine.configuration(10) & XiveSource.IN_SERVICE) != 0);
        assertEquals(1, machine.xive.acknowledged().count(1, 10));
    }

    @Test
    void acknowledgeWithNothingPresentedReturnsSourceZeroAndKeepsCppr() {
        machine.cppr(0, 0x80);
        assertEquals(0x8000_0000, machine.acknowledge(0));
        assertEquals(0x80, machine.read(machine.server(0, Xive.CPPR)));
        assertEquals(0xFF, machine.read(machine.server(0, Xive.PIPR)));
    }

    @Test
    void onlyPrioritiesMoreFavouredThanCpprArePresented() {
        source(10, TriggerMode.LEVEL, 5, 0).raise();
        machine.cppr(0, 5);
        assertFalse(cpu0.interruptPending());
        machine.cppr(0, 6);
        assertTrue(cpu0.interruptPending());
    }

    @Test
    void theMostFavouredPriorityWinsThenTheLowestSourceNumber() {
        source(30, TriggerMode.LEVEL, 6, 0).raise();
        source(20, TriggerMode.LEVEL, 2, 0).raise();
        source(12, TriggerMode.LEVEL, 2, 0).raise();
        assertEquals(0xFF00_000C, machine.acknowledge(0));
        machine.cppr(0, 0xFF);
        assertEquals(0xFF00_0014, machine.acknowledge(0));
        machine.cppr(0, 0xFF);
        assertEquals(0xFF00_001E, machine.acknowledge(0));
    }

    @Test
    void aMaskedSourceKeepsItsEventAndPresentsItWhenUnmasked() {
        IrqLine line = source(10, TriggerMode.EDGE, 5, 0);
        machine.write(Xive.SOURCE_BASE + 40, XiveSource.MASKED | 5);
        line.pulse();
        assertFalse(cpu0.interruptPending());
        assertTrue((machine.configuration(10) & XiveSource.P) != 0);
        machine.configure(10, 5, 0);
        assertTrue(cpu0.interruptPending());
    }

    @Test
    void retargetingAPendingSourceMovesItToTheNewServer() {
        source(10, TriggerMode.LEVEL, 5, 0).raise();
        machine.cppr(1, 0xFF);
        machine.configure(10, 5, 1);
        assertFalse(cpu0.interruptPending());
        assertTrue(cpu1.interruptPending());
    }

    @Test
    void eoiOfALevelSourceStillAssertedPresentsItAgain() {
        source(10, TriggerMode.LEVEL, 5, 0).raise();
        machine.acknowledge(0);
        machine.cppr(0, 0xFF);
        machine.eoi(0, 10);
        assertTrue(cpu0.interruptPending());
        assertEquals(0xFF00_000A, machine.acknowledge(0));
    }

    @Test
    void eoiOfALevelSourceLoweredEndsIt() {
        IrqLine line = source(10, TriggerMode.LEVEL, 5, 0);
        line.raise();
        machine.acknowledge(0);
        line.lower();
        machine.cppr(0, 0xFF);
        machine.eoi(0, 10);
        assertFalse(cpu0.interruptPending());
        assertEquals(XiveSource.LEVEL | 5, machine.configuration(10));
    }

    @Test
    void anEdgeDuringServiceIsQueuedAndPresentedAfterTheEoi() {
        IrqLine line = source(11, TriggerMode.EDGE, 5, 0);
        line.pulse();
        machine.acknowledge(0);
        line.pulse();
        line.pulse();
        assertEquals(XiveSource.P | XiveSource.Q | XiveSource.IN_SERVICE | 5, machine.configuration(11));
        machine.cppr(0, 0xFF);
        machine.eoi(0, 11);
        assertEquals(0xFF00_000B, machine.acknowledge(0));
        machine.eoi(0, 11);
        assertEquals(5, machine.configuration(11));
    }

    @Test
    void anEoiFromAnotherServerOrForANonSourceIsIgnored() {
        source(10, TriggerMode.LEVEL, 5, 0).raise();
        machine.acknowledge(0);
        machine.eoi(1, 10);
        machine.eoi(0, 0);
        machine.eoi(0, 9999);
        assertTrue((machine.configuration(10) & XiveSource.IN_SERVICE) != 0);
    }

    @Test
    void triggerSendsAnIpiToItsServer() {
        int ipi = Xive.IPI_BASE + 1;
        machine.configure(ipi, 0, 1);
        machine.cppr(1, 0xFF);
        machine.write(Xive.TRIGGER, ipi);
        assertFalse(cpu0.interruptPending());
        assertEquals(OptionalLong.of(Xive.EXTERNAL_CAUSE), cpu1.take());
        assertEquals(0xFF00_0000 | ipi, machine.acknowledge(1));
    }

    @Test
    void triggeringASourceThatIsNoIpiIsAMachineCheck() {
        assertThrows(MachineCheckException.class, () -> machine.write(Xive.TRIGGER, 10));
        assertThrows(MachineCheckException.class, () -> machine.write(Xive.TRIGGER, 67));
    }

    @Test
    void targetingAServerThatDoesNotExistIsAMachineCheck() {
        assertThrows(MachineCheckException.class, () -> machine.configure(10, 5, 2));
    }

    @Test
    void readOnlyAndWriteOnlyRegistersAreEnforced() {
        assertThrows(MachineCheckException.class, () -> machine.write(Xive.ID, 0));
        assertThrows(MachineCheckException.class, () -> machine.write(Xive.IPI_BASE_REGISTER, 0));
        assertThrows(MachineCheckException.class, () -> machine.read(Xive.TRIGGER));
        assertThrows(MachineCheckException.class, () -> machine.read(machine.server(0, Xive.EOI)));
        assertThrows(MachineCheckException.class, () -> machine.write(machine.server(0, Xive.ACK), 0));
        assertThrows(MachineCheckException.class, () -> machine.write(machine.server(0, Xive.PIPR), 0));
    }

    @Test
    void missingRegistersAndBadWidthsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.read(0x18));
        assertThrows(MachineCheckException.class, () -> machine.write(0x18, 0));
        assertThrows(MachineCheckException.class, () -> machine.read(Xive.SOURCE_BASE));
        assertThrows(MachineCheckException.class, () -> machine.read(Xive.SOURCE_BASE + 4 * 67));
        assertThrows(MachineCheckException.class, () -> machine.read(machine.server(0, 0x10)));
        assertThrows(MachineCheckException.class, () -> machine.write(machine.server(0, 0x10), 0));
        assertThrows(MachineCheckException.class, () -> machine.read(machine.server(2, 0)));
        assertThrows(MachineCheckException.class, () -> machine.xive.read(Xive.ID, 8));
        assertThrows(MachineCheckException.class, () -> machine.xive.write(2, 4, 0));
        assertEquals(Xive.SERVER_BASE + 2 * Xive.SERVER_STRIDE, machine.xive.size());
        assertEquals("xive", machine.xive.name());
    }

    @Test
    void aDeviceSourceIsWiredOnceAndMustExist() {
        machine.platform.line(1, TriggerMode.LEVEL);
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(1, TriggerMode.LEVEL));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(0, TriggerMode.LEVEL));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(65, TriggerMode.EDGE));
    }
}

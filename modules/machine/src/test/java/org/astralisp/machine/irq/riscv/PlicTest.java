package org.astralisp.machine.irq.riscv;

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

class PlicTest {

    /** Hart 1's machine-mode context. */
    private static final int HART1 = 2;

    private final RiscvFixture machine = new RiscvFixture().enable(HartInterrupts.MEIP | HartInterrupts.SEIP);
    private final TestCpu hart0 = machine.harts.get(0);
    private final TestCpu hart1 = machine.harts.get(1);

    @AfterEach
    void close() {
        machine.close();
    }

    private IrqLine levelSource(int source, int priority, int context) {
        IrqLine line = machine.platform.line(source, TriggerMode.LEVEL);
        machine.priority(source, priority);
        machine.enableSource(context, source);
        return line;
    }

    private boolean pendingBit(int source) {
        return (machine.readPlic(Plic.PENDING_BASE + 4L * (source / 32)) & 1 << (source % 32)) != 0;
    }

    @Test
    void aRaisedSourceReachesItsEnabledContextAsAMachineExternalInterrupt() {
        levelSource(10, 1, 0).raise();
        assertTrue(hart0.kicks() > 0);
        assertTrue(pendingBit(10));
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_EXTERNAL), hart0.take());
        assertEquals(10, machine.claim(0));
        assertEquals(1, machine.plic.claims().count(0, 10));
        assertFalse(hart1.interruptPending());
    }

    @Test
    void aSourceGoesOnlyToContextsThatEnableIt() {
        levelSource(33, 1, HART1).raise();
        assertFalse(hart0.interruptPending());
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_EXTERNAL), hart1.take());
        assertEquals(0, machine.claim(0));
        assertEquals(33, machine.claim(HART1));
    }

    @Test
    void anOddContextIsTheHartsSupervisorExternalInterrupt() {
        levelSource(5, 1, 1).raise();
        assertEquals(OptionalLong.of(HartInterrupts.SUPERVISOR_EXTERNAL), hart0.take());
        assertEquals(5, machine.claim(1));
    }

    @Test
    void aPriorityAtOrBelowTheThresholdDoesNotInterruptButCanBeClaimed() {
        machine.threshold(0, 3);
        levelSource(7, 3, 0).raise();
        assertFalse(hart0.interruptPending());
        machine.threshold(0, 2);
        assertTrue(hart0.interruptPending());
        machine.threshold(0, 3);
        assertEquals(7, machine.claim(0));
    }

    @Test
    void priorityZeroNeverInterruptsAndIsNeverClaimed() {
        levelSource(8, 0, 0).raise();
        assertTrue(pendingBit(8));
        assertFalse(hart0.interruptPending());
        assertEquals(0, machine.claim(0));
    }

    @Test
    void aClaimTakesTheHighestPriorityThenTheLowestId() {
        levelSource(40, 2, 0).raise();
        levelSource(30, 5, 0).raise();
        levelSource(20, 5, 0).raise();
        assertEquals(20, machine.claim(0));
        assertEquals(30, machine.claim(0));
        assertEquals(40, machine.claim(0));
        assertEquals(0, machine.claim(0));
    }

    @Test
    void aClaimClearsThePendingBit() {
        levelSource(64, 1, 0).raise();
        assertTrue(pendingBit(64));
        machine.claim(0);
        assertFalse(pendingBit(64));
        assertFalse(hart0.interruptPending());
    }

    @Test
    void aLevelSourceStillAssertedAtCompletionIsPendingAgain() {
        IrqLine line = levelSource(12, 1, 0);
        line.raise();
        int claimed = machine.claim(0);
        machine.complete(0, claimed);
        assertTrue(pendingBit(12));
        assertTrue(hart0.interruptPending());
    }

    @Test
    void aLevelSourceLoweredBeforeCompletionIsDone() {
        IrqLine line = levelSource(12, 1, 0);
        line.raise();
        machine.complete(0, machine.claim(0));
        machine.claim(0);
        line.lower();
        machine.complete(0, 12);
        assertFalse(pendingBit(12));
        assertEquals(2, machine.plic.claims().count(0, 12));
    }

    @Test
    void theGatewayForwardsNothingMoreUntilCompletion() {
        IrqLine line = levelSource(12, 1, 0);
        line.raise();
        machine.claim(0);
        line.lower();
        line.raise();
        assertFalse(pendingBit(12));
    }

    @Test
    void anEdgeDuringServiceIsForwardedOnceAtCompletion() {
        IrqLine line = machine.platform.line(3, TriggerMode.EDGE);
        machine.priority(3, 1);
        machine.enableSource(0, 3);
        line.pulse();
        assertEquals(3, machine.claim(0));
        line.pulse();
        line.pulse();
        assertFalse(pendingBit(3));
        machine.complete(0, 3);
        assertEquals(3, machine.claim(0));
        machine.complete(0, 3);
        assertFalse(pendingBit(3));
    }

    @Test
    void anEdgeSourceHeldHighIsOneRequest() {
        IrqLine line = machine.platform.line(3, TriggerMode.EDGE);
        machine.priority(3, 1);
        machine.enableSource(0, 3);
        line.raise();
        machine.claim(0);
        line.raise();
        machine.complete(0, 3);
        assertFalse(pendingBit(3));
    }

    @Test
    void aCompletionForASourceNotEnabledForTheContextIsIgnored() {
        IrqLine line = levelSource(12, 1, 0);
        line.raise();
        machine.claim(0);
        machine.complete(HART1, 12);
        machine.complete(0, 0);
        machine.complete(0, 500);
        assertFalse(pendingBit(12));
        machine.complete(0, 12);
        assertTrue(pendingBit(12));
    }

    @Test
    void prioritiesAndThresholdsKeepThreeBits() {
        machine.priority(1, 0xFF);
        machine.threshold(0, 0x1F);
        assertEquals(7, machine.readPlic(4));
        assertEquals(7, machine.readPlic(Plic.CONTEXT_BASE));
    }

    @Test
    void enableBitZeroAndBitsAboveTheLastSourceReadZero() {
        Plic small = new Plic(40, machine.harts);
        small.write(Plic.ENABLE_BASE, 4, 0xFFFF_FFFFL);
        small.write(Plic.ENABLE_BASE + 4, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFEL, small.read(Plic.ENABLE_BASE, 4));
        assertEquals(0x1FF, small.read(Plic.ENABLE_BASE + 4, 4));
        assertThrows(MachineCheckException.class, () -> small.read(Plic.ENABLE_BASE + 8, 4));
    }

    @Test
    void registersOfMissingSourcesAndContextsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.readPlic(0));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(4 * 96));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.PENDING_BASE + 12));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.ENABLE_BASE + 12));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.ENABLE_BASE + 4L * Plic.ENABLE_STRIDE));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.CONTEXT_BASE + 8));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.CONTEXT_BASE + 4L * Plic.CONTEXT_STRIDE));
        assertThrows(MachineCheckException.class, () -> machine.readPlic(Plic.PENDING_BASE - 4 + 0x1000));
    }

    @Test
    void thePendingArrayIsReadOnly() {
        assertThrows(MachineCheckException.class, () -> machine.writePlic(Plic.PENDING_BASE, 0));
    }

    @Test
    void accessesOtherThanAligned32BitsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.plic.read(4, 8));
        assertThrows(MachineCheckException.class, () -> machine.plic.write(6, 4, 0));
        assertThrows(MachineCheckException.class, () -> machine.plic.read(-4, 4));
    }

    @Test
    void sizeCoversTheContextsOfEveryHart() {
        assertEquals(Plic.CONTEXT_BASE + 4 * Plic.CONTEXT_STRIDE, machine.plic.size());
        assertEquals("plic", machine.plic.name());
        assertEquals(RiscvFixture.SOURCES, machine.plic.sources());
    }

    @Test
    void aSourceIsWiredOnceAndMustExist() {
        machine.platform.line(1, TriggerMode.LEVEL);
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(1, TriggerMode.EDGE));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(0, TriggerMode.LEVEL));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(96, TriggerMode.LEVEL));
        assertThrows(IllegalArgumentException.class, () -> new Plic(0, machine.harts));
    }
}

package org.astralisp.machine.irq.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalApicTest {

    private final ApicFixture machine = new ApicFixture();

    @AfterEach
    void close() {
        machine.close();
    }

    /** Sends a fixed IPI from {@code from} to physical destination {@code to}. */
    private void ipi(int from, int to, int vector) {
        machine.writeApic(from, LocalApic.ICR_HIGH, to << 24);
        machine.writeApic(from, LocalApic.ICR_LOW, vector);
    }

    @Test
    void idRegisterHoldsTheCpuNumberInBits31To24() {
        assertEquals(0x0100_0000, machine.readApic(1, LocalApic.ID));
        assertEquals(0, machine.readApic(0, LocalApic.ID));
    }

    @Test
    void versionRegisterReportsAnIntegratedApicWithFourLvtEntries() {
        assertEquals(0x0003_0014, machine.readApic(0, LocalApic.VERSION));
    }

    @Test
    void anApicStartsSoftwareDisabledAndRefusesFixedInterrupts() {
        assertEquals(0xFF, machine.readApic(1, LocalApic.SVR));
        ipi(0, 1, 0x40);
        assertFalse(machine.bankBit(1, LocalApic.IRR, 0x40));
        assertFalse(machine.cpus.get(1).interruptPending());
    }

    @Test
    void ipiReachesTheDestinationCpuWithItsVectorAndKicksIt() {
        machine.enabled();
        ipi(0, 1, 0x40);
        assertTrue(machine.cpus.get(1).kicks() > 0);
        assertFalse(machine.cpus.get(0).interruptPending());
        assertEquals(OptionalLong.of(0x40), machine.cpus.get(1).take());
        assertEquals(1, machine.platform.localApic(1).deliveries(0x40));
        assertEquals(1, machine.platform.counters().count(1, 0x40));
    }

    @Test
    void acknowledgeMovesTheVectorFromIrrToIsr() {
        machine.enabled();
        ipi(0, 1, 0x40);
        assertTrue(machine.bankBit(1, LocalApic.IRR, 0x40));
        machine.cpus.get(1).take();
        assertFalse(machine.bankBit(1, LocalApic.IRR, 0x40));
        assertTrue(machine.bankBit(1, LocalApic.ISR, 0x40));
    }

    @Test
    void theHighestVectorIsTakenFirst() {
        machine.enabled();
        ipi(0, 1, 0x41);
        ipi(0, 1, 0x90);
        ipi(0, 1, 0x62);
        assertEquals(OptionalLong.of(0x90), machine.cpus.get(1).take());
    }

    @Test
    void aVectorWhosePriorityClassIsNotAboveTheTaskPriorityWaits() {
        machine.enabled();
        machine.writeApic(1, LocalApic.TPR, 0x45);
        ipi(0, 1, 0x4F);
        assertFalse(machine.cpus.get(1).interruptPending());
        machine.cpus.get(1).drainKicks();
        machine.writeApic(1, LocalApic.TPR, 0x30);
        assertTrue(machine.cpus.get(1).kicks() > 0);
        assertEquals(OptionalLong.of(0x4F), machine.cpus.get(1).take());
    }

    @Test
    void anInServiceVectorBlocksItsClassAndLowerButNotHigherClasses() {
        machine.enabled();
        ipi(0, 1, 0x51);
        machine.cpus.get(1).take();
        ipi(0, 1, 0x5A);
        ipi(0, 1, 0x42);
        assertEquals(0x50, machine.readApic(1, LocalApic.PPR));
        assertFalse(machine.cpus.get(1).interruptPending());
        ipi(0, 1, 0x61);
        assertEquals(OptionalLong.of(0x61), machine.cpus.get(1).take());
    }

    @Test
    void processorPriorityIsTheTaskPriorityWhenItsClassIsHigher() {
        machine.enabled();
        ipi(0, 1, 0x51);
        machine.cpus.get(1).take();
        machine.writeApic(1, LocalApic.TPR, 0x73);
        assertEquals(0x73, machine.readApic(1, LocalApic.PPR));
        assertEquals(0x73, machine.readApic(1, LocalApic.TPR));
    }

    @Test
    void eoiEndsTheHighestInServiceVectorAndLetsWaitingOnesThrough() {
        machine.enabled();
        ipi(0, 1, 0x51);
        machine.cpus.get(1).take();
        ipi(0, 1, 0x52);
        machine.cpus.get(1).drainKicks();
        machine.writeApic(1, LocalApic.EOI, 0);
        assertFalse(machine.bankBit(1, LocalApic.ISR, 0x51));
        assertTrue(machine.cpus.get(1).kicks() > 0);
        assertEquals(OptionalLong.of(0x52), machine.cpus.get(1).take());
    }

    @Test
    void eoiWithNothingInServiceChangesNothing() {
        machine.enabled();
        machine.writeApic(0, LocalApic.EOI, 0);
        assertEquals(0, machine.readApic(0, LocalApic.PPR));
    }

    @Test
    void acknowledgingWhenNothingIsDeliverableYieldsTheSpuriousVector() {
        machine.enabled();
        machine.writeApic(0, LocalApic.SVR, 0x1EF);
        assertEquals(0xEF, machine.platform.localApic(0).acknowledge());
        assertFalse(machine.bankBit(0, LocalApic.ISR, 0xEF));
    }

    @Test
    void selfIpiGoesToTheSender() {
        machine.enabled();
        machine.writeApic(1, LocalApic.ICR_LOW, 0x0004_0033);
        assertEquals(OptionalLong.of(0x33), machine.cpus.get(1).take());
        assertFalse(machine.cpus.get(0).interruptPending());
    }

    @Test
    void allIncludingSelfShorthandReachesEveryCpu() {
        machine.enabled();
        machine.writeApic(1, LocalApic.ICR_LOW, 0x0008_0034);
        assertEquals(OptionalLong.of(0x34), machine.cpus.get(0).take());
        assertEquals(OptionalLong.of(0x34), machine.cpus.get(1).take());
    }

    @Test
    void allExcludingSelfShorthandSkipsTheSender() {
        machine.enabled();
        machine.writeApic(1, LocalApic.ICR_LOW, 0x000C_0035);
        assertEquals(OptionalLong.of(0x35), machine.cpus.get(0).take());
        assertFalse(machine.cpus.get(1).interruptPending());
    }

    @Test
    void physicalDestination0xFFIsABroadcast() {
        machine.enabled();
        ipi(0, 0xFF, 0x36);
        assertTrue(machine.cpus.get(0).interruptPending());
        assertTrue(machine.cpus.get(1).interruptPending());
    }

    @Test
    void anIpiToAnAbsentApicIsDropped() {
        machine.enabled();
        ipi(0, 7, 0x36);
        assertFalse(machine.cpus.get(0).interruptPending());
        assertFalse(machine.cpus.get(1).interruptPending());
    }

    @Test
    void icrReadsBackWhatWasWrittenWithDeliveryIdle() {
        machine.enabled();
        ipi(0, 1, 0x0000_C040);
        assertEquals(0x0000_C040, machine.readApic(0, LocalApic.ICR_LOW));
        assertEquals(0x0100_0000, machine.readApic(0, LocalApic.ICR_HIGH));
    }

    @Test
    void sendingAnIllegalVectorIsASendErrorLatchedByAnEsrWrite() {
        machine.enabled();
        ipi(0, 1, 0x0F);
        assertFalse(machine.cpus.get(1).interruptPending());
        assertEquals(0, machine.readApic(0, LocalApic.ESR));
        machine.writeApic(0, LocalApic.ESR, 0);
        assertEquals(LocalApic.ESR_SEND_ILLEGAL_VECTOR, machine.readApic(0, LocalApic.ESR));
        machine.writeApic(0, LocalApic.ESR, 0);
        assertEquals(0, machine.readApic(0, LocalApic.ESR));
    }

    @Test
    void receivingAnIllegalVectorRaisesTheErrorLvtVector() {
        machine.enabled();
        machine.writeApic(1, LocalApic.LVT_ERROR, 0xFE);
        machine.route(3, 0x0E, 1);
        machine.platform.line(3).pulse();
        assertEquals(OptionalLong.of(0xFE), machine.cpus.get(1).take());
        machine.writeApic(1, LocalApic.ESR, 0);
        assertEquals(LocalApic.ESR_RECEIVE_ILLEGAL_VECTOR, machine.readApic(1, LocalApic.ESR));
    }

    @Test
    void anIllegalErrorVectorIsOnlyRecorded() {
        machine.enabled();
        machine.writeApic(0, LocalApic.LVT_ERROR, 0x05);
        ipi(0, 1, 0x02);
        assertFalse(machine.cpus.get(0).interruptPending());
        machine.writeApic(0, LocalApic.ESR, 0);
        assertEquals(LocalApic.ESR_SEND_ILLEGAL_VECTOR | LocalApic.ESR_RECEIVE_ILLEGAL_VECTOR,
                machine.readApic(0, LocalApic.ESR));
    }

    @Test
    void softwareDisablingMasksEveryLvtEntryAndKeepsThemMasked() {
        machine.enabled();
        machine.writeApic(0, LocalApic.LVT_LINT0, 0x0000_0700);
        machine.writeApic(0, LocalApic.LVT_LINT1, 0x0000_0400);
        machine.writeApic(0, LocalApic.LVT_ERROR, 0xFE);
        machine.writeApic(0, LocalApic.LVT_TIMER, 0xEC);
        assertEquals(0x0000_0700, machine.readApic(0, LocalApic.LVT_LINT0));
        machine.writeApic(0, LocalApic.SVR, 0xFF);
        for (int lvt : new int[] {LocalApic.LVT_TIMER, LocalApic.LVT_LINT0, LocalApic.LVT_LINT1, LocalApic.LVT_ERROR}) {
            assertEquals(LocalApic.LVT_MASKED, machine.readApic(0, lvt) & LocalApic.LVT_MASKED);
        }
        machine.writeApic(0, LocalApic.LVT_ERROR, 0xFE);
        assertEquals(0x0001_00FE, machine.readApic(0, LocalApic.LVT_ERROR));
    }

    @Test
    void lvtEntriesStartMasked() {
        assertEquals(0x0001_0000, machine.readApic(0, LocalApic.LVT_TIMER));
        assertEquals(0x0001_0000, machine.readApic(0, LocalApic.LVT_LINT0));
        assertEquals(0x0001_0000, machine.readApic(0, LocalApic.LVT_LINT1));
        assertEquals(0x0001_0000, machine.readApic(0, LocalApic.LVT_ERROR));
    }

    @Test
    void ipiDeliveryModesOtherThanFixedAreMachineChecks() {
        machine.enabled();
        MachineCheckException e = assertThrows(MachineCheckException.class,
                () -> machine.writeApic(0, LocalApic.ICR_LOW, 0x0000_0500));
        assertTrue(e.getMessage().contains("delivery mode 5"), e.getMessage());
    }

    @Test
    void logicalDestinationIpisAreMachineChecks() {
        machine.enabled();
        assertThrows(MachineCheckException.class, () -> machine.writeApic(0, LocalApic.ICR_LOW, 0x0000_0840));
    }

    @Test
    void reservedTimerModeIsAMachineCheck() {
        assertThrows(MachineCheckException.class, () -> machine.writeApic(0, LocalApic.LVT_TIMER, 0x0006_0040));
    }

    @Test
    void readingEoiIsAMachineCheck() {
        assertThrows(MachineCheckException.class, () -> machine.readApic(0, LocalApic.EOI));
    }

    @Test
    void writingReadOnlyRegistersIsAMachineCheck() {
        for (int offset : new int[] {LocalApic.ID, LocalApic.VERSION, LocalApic.PPR, LocalApic.TIMER_CURRENT_COUNT,
                LocalApic.ISR, LocalApic.TMR + 0x70, LocalApic.IRR + 0x30}) {
            assertThrows(MachineCheckException.class, () -> machine.writeApic(0, offset, 0), "offset " + offset);
        }
    }

    @Test
    void unimplementedRegistersAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.readApic(0, 0x0D0));
        assertThrows(MachineCheckException.class, () -> machine.writeApic(0, 0x0D0, 0));
        assertThrows(MachineCheckException.class, () -> machine.readApic(0, 0x330));
    }
}

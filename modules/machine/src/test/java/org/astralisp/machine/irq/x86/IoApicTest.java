package org.astralisp.machine.irq.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IoApicTest {

    private static final int LEVEL = IoApic.LEVEL_TRIGGERED;

    private final ApicFixture machine = new ApicFixture().enabled();

    @AfterEach
    void close() {
        machine.close();
    }

    private int entryLow(int pin) {
        return machine.readIoApic(IoApic.REGISTER_REDIRECTION + 2 * pin);
    }

    @Test
    void versionRegisterSaysVersion0x11With24Entries() {
        assertEquals(0x0017_0011, machine.readIoApic(IoApic.REGISTER_VERSION));
    }

    @Test
    void idRegisterKeepsBits27To24AndArbitrationFollowsIt() {
        machine.writeIoApic(IoApic.REGISTER_ID, 0xFFFF_FFFF);
        assertEquals(0x0F00_0000, machine.readIoApic(IoApic.REGISTER_ID));
        assertEquals(0x0F00_0000, machine.readIoApic(IoApic.REGISTER_ARBITRATION));
    }

    @Test
    void ioregselReadsBackTheSelectedRegister() {
        machine.platform.ioApic().write(IoApic.IOREGSEL, 4, 0x13);
        assertEquals(0x13, machine.platform.ioApic().read(IoApic.IOREGSEL, 4));
    }

    @Test
    void redirectionEntriesStartMaskedAndReadBackWithoutReadOnlyBits() {
        assertEquals(IoApic.MASKED, entryLow(0));
        machine.route(5, 0xFFFF_F0FF & ~0x0700 & ~0x0800, 1);
        assertEquals(0x0001_A0FF, entryLow(5));
        assertEquals(0x0100_0000, machine.readIoApic(IoApic.REGISTER_REDIRECTION + 11));
    }

    @Test
    void anEdgeOnAnUnmaskedPinReachesTheDestinationCpuWithTheVector() {
        machine.route(4, 0x41, 1);
        machine.platform.line(4).pulse();
        assertFalse(machine.cpus.get(0).interruptPending());
        assertEquals(OptionalLong.of(0x41), machine.cpus.get(1).take());
        assertEquals(1, machine.platform.ioApic().deliveries(4));
        assertFalse(machine.bankBit(1, LocalApic.TMR, 0x41));
    }

    @Test
    void anEdgeOnAMaskedPinIsLost() {
        machine.route(4, IoApic.MASKED | 0x41, 1);
        IrqLine line = machine.platform.line(4);
        line.pulse();
        machine.route(4, 0x41, 1);
        assertFalse(machine.cpus.get(1).interruptPending());
        assertEquals(0, machine.platform.ioApic().deliveries(4));
    }

    @Test
    void aLineHeldHighIsOneEdge() {
        machine.route(4, 0x41, 0);
        IrqLine line = machine.platform.line(4);
        line.raise();
        line.raise();
        assertEquals(1, machine.platform.ioApic().deliveries(4));
    }

    @Test
    void changingTheDestinationMovesThePinToAnotherCpu() {
        IrqLine line = machine.platform.line(6);
        machine.route(6, 0x42, 0);
        line.pulse();
        machine.route(6, 0x42, 1);
        line.pulse();
        assertEquals(OptionalLong.of(0x42), machine.cpus.get(0).take());
        assertEquals(OptionalLong.of(0x42), machine.cpus.get(1).take());
    }

    @Test
    void aLevelPinSetsRemoteIrrAndTmrAndWaitsForTheEoi() {
        machine.route(9, LEVEL | 0x51, 1);
        IrqLine line = machine.platform.line(9);
        line.raise();
        assertTrue((entryLow(9) & IoApic.REMOTE_IRR) != 0);
        assertTrue(machine.bankBit(1, LocalApic.TMR, 0x51));
        assertEquals(OptionalLong.of(0x51), machine.cpus.get(1).take());
        line.lower();
        line.raise();
        assertEquals(1, machine.platform.ioApic().deliveries(9));
    }

    @Test
    void eoiOfALevelVectorClearsRemoteIrrAndAPinStillAssertedIsSentAgain() {
        machine.route(9, LEVEL | 0x51, 1);
        machine.platform.line(9).raise();
        machine.cpus.get(1).take();
        machine.writeApic(1, LocalApic.EOI, 0);
        assertEquals(2, machine.platform.ioApic().deliveries(9));
        assertEquals(OptionalLong.of(0x51), machine.cpus.get(1).take());
    }

    @Test
    void eoiOfALevelVectorWhoseLineWasLoweredEndsIt() {
        machine.route(9, LEVEL | 0x51, 1);
        IrqLine line = machine.platform.line(9);
        line.raise();
        machine.cpus.get(1).take();
        line.lower();
        machine.writeApic(1, LocalApic.EOI, 0);
        assertEquals(0, entryLow(9) & IoApic.REMOTE_IRR);
        assertFalse(machine.cpus.get(1).interruptPending());
        assertEquals(1, machine.platform.ioApic().deliveries(9));
    }

    @Test
    void unmaskingAnAssertedLevelPinSendsIt() {
        machine.route(10, IoApic.MASKED | LEVEL | 0x52, 0);
        machine.platform.line(10).raise();
        assertFalse(machine.cpus.get(0).interruptPending());
        machine.route(10, LEVEL | 0x52, 0);
        assertEquals(OptionalLong.of(0x52), machine.cpus.get(0).take());
    }

    @Test
    void aLevelMessageNoApicAcceptsLeavesRemoteIrrClear() {
        machine.route(11, LEVEL | 0x53, 7);
        machine.platform.line(11).raise();
        assertEquals(0, entryLow(11) & IoApic.REMOTE_IRR);
        assertEquals(0, machine.platform.ioApic().deliveries(11));
    }

    @Test
    void destination0xFFSendsToEveryCpu() {
        machine.route(12, 0x54, 0xFF);
        machine.platform.line(12).pulse();
        assertTrue(machine.cpus.get(0).interruptPending());
        assertTrue(machine.cpus.get(1).interruptPending());
    }

    @Test
    void aPinIsWiredOnce() {
        machine.platform.line(2);
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(2));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(24));
        assertThrows(IllegalArgumentException.class, () -> machine.platform.line(-1));
    }

    @Test
    void deliveryModesOtherThanFixedAndLogicalDestinationsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.route(1, 0x0100 | 0x40, 0));
        assertThrows(MachineCheckException.class, () -> machine.route(1, 0x0800 | 0x40, 0));
    }

    @Test
    void missingIndirectRegistersAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> machine.readIoApic(0x03));
        assertThrows(MachineCheckException.class, () -> machine.readIoApic(IoApic.REGISTER_REDIRECTION + 48));
        assertThrows(MachineCheckException.class, () -> machine.writeIoApic(0x0F, 0));
    }

    @Test
    void writingTheVersionOrArbitrationRegisterIsAMachineCheck() {
        assertThrows(MachineCheckException.class, () -> machine.writeIoApic(IoApic.REGISTER_VERSION, 0));
        assertThrows(MachineCheckException.class, () -> machine.writeIoApic(IoApic.REGISTER_ARBITRATION, 0));
    }

    @Test
    void accessesOtherThan32BitsAtIoregselOrIowinAreMachineChecks() {
        IoApic ioApic = machine.platform.ioApic();
        assertThrows(MachineCheckException.class, () -> ioApic.read(IoApic.IOWIN, 8));
        assertThrows(MachineCheckException.class, () -> ioApic.write(IoApic.IOREGSEL, 1, 0));
        assertThrows(MachineCheckException.class, () -> ioApic.read(0x04, 4));
        assertThrows(MachineCheckException.class, () -> ioApic.write(0x20, 4, 0));
        assertEquals(0x20, ioApic.size());
        assertEquals("ioapic", ioApic.name());
    }
}

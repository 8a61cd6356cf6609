package org.astralisp.machine.device.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edu device's registers per QEMU docs/specs/edu.rst, on the test bench's bus and RAM. */
class EduDeviceTest {

    private static final long BAR = 0x4000_0000L;
    private static final long RAM = PciTestBench.RAM.base();

    private final PciTestBench bench = new PciTestBench();
    private EduDevice edu;
    private Mmio registers;

    @BeforeEach
    void plug() {
        edu = new EduDevice("edu0", bench.ram);
        bench.pcie.plug(1, edu);
        bench.write32(1, 0, 0x10, (int) BAR);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE | PciFunction.COMMAND_BUS_MASTER);
        registers = bench.bus.map(BAR, EduDevice.BAR0_SIZE);
    }

    @AfterEach
    void close() {
        bench.close();
    }

    @Test
    void identifiesItselfAndInvertsTheLivenessValue() {
        assertEquals(0x010000ed, registers.read32(0));
        registers.write32(EduDevice.LIVENESS, 0x1234_5678);
        assertEquals(~0x1234_5678, registers.read32(EduDevice.LIVENESS));
    }

    @Test
    void computesTheFactorialOnItsWorkerAndRaisesInterruptOneWhenAsked() throws InterruptedException {
        registers.write32(EduDevice.STATUS, 0xFF);
        assertEquals(EduDevice.STATUS_IRQ_ON_FACTORIAL, registers.read32(EduDevice.STATUS) & 0xFE,
                "only bit 7 is writable");
        registers.write32(EduDevice.FACTORIAL, 10);
        PciTestBench.await("the factorial", () -> (registers.read32(EduDevice.STATUS) & 1) == 0);
        assertEquals(3_628_800, registers.read32(EduDevice.FACTORIAL));
        assertEquals(EduDevice.FACTORIAL_INTERRUPT, registers.read32(EduDevice.INTERRUPT_STATUS));
        assertTrue(bench.lines.get(1).level);
        registers.write32(EduDevice.INTERRUPT_ACK, EduDevice.FACTORIAL_INTERRUPT);
        assertFalse(bench.lines.get(1).level);
    }

    @Test
    void factorialWithoutTheInterruptBitRaisesNothing() throws InterruptedException {
        registers.write32(EduDevice.FACTORIAL, 5);
        PciTestBench.await("the factorial", () -> registers.read32(EduDevice.FACTORIAL) == 120);
        assertEquals(0, registers.read32(EduDevice.STATUS));
        assertEquals(0, registers.read32(EduDevice.INTERRUPT_STATUS));
    }

    @Test
    void factorialWrapsModuloTwoToTheThirtyTwoAndEndsForHugeArguments() {
        assertEquals(1, EduDevice.factorial(0));
        assertEquals(1, EduDevice.factorial(1));
        assertEquals((int) 6227020800L, EduDevice.factorial(13));
        assertEquals(0, EduDevice.factorial(34), "2^32 divides 34!");
        assertEquals(0, EduDevice.factorial(-1), "n is unsigned");
    }

    @Test
    void dmaCopiesRamToTheBufferAndBackAndRaisesInterrupt0x100() throws InterruptedException {
        MemorySegment memory = bench.ram.segment();
        for (int i = 0; i < 100; i++) {
            memory.set(ValueLayout.JAVA_BYTE, 0x1000 + i, (byte) (i * 7));
        }
        transfer(RAM + 0x1000, EduDevice.DMA_BUFFER + 8, 100, EduDevice.DMA_START);
        transfer(EduDevice.DMA_BUFFER + 8, RAM + 0x2000 + 100, 100,
                EduDevice.DMA_START | EduDevice.DMA_TO_RAM | EduDevice.DMA_IRQ);
        assertArrayEquals(memory.asSlice(0x1000, 100).toArray(ValueLayout.JAVA_BYTE),
                memory.asSlice(0x2000 + 100, 100).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(EduDevice.DMA_INTERRUPT, registers.read32(EduDevice.INTERRUPT_STATUS));
        assertEquals(RAM + 0x2000 + 100, registers.read64(EduDevice.DMA_DESTINATION));
        assertEquals(100, registers.read32(EduDevice.DMA_COUNT));
        assertEquals(0, edu.dmaErrors());
    }

    @Test
    void dmaOutsideTheBufferOrRamOrWithoutBusMasterMovesNothing() throws InterruptedException {
        transfer(RAM, EduDevice.DMA_BUFFER + 4000, 100, EduDevice.DMA_START | EduDevice.DMA_IRQ);
        assertEquals("DMA of 0x64 bytes at device address 0x40fa0: outside the buffer [0x40000, 0x41000)",
                edu.lastDmaError());
        transfer(0x1000, EduDevice.DMA_BUFFER, 16, EduDevice.DMA_START);
        assertTrue(edu.lastDmaError().startsWith("DMA of 0x10 bytes at 0x1000: "), edu.lastDmaError());
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        transfer(RAM, EduDevice.DMA_BUFFER, 16, EduDevice.DMA_START);
        assertEquals("DMA with Bus Master Enable clear", edu.lastDmaError());
        assertEquals(3, edu.dmaErrors());
        assertEquals(0, registers.read32(EduDevice.INTERRUPT_STATUS), "a refused transfer raises nothing");
    }

    private void transfer(long source, long destination, long count, long command) throws InterruptedException {
        registers.write64(EduDevice.DMA_SOURCE, source);
        registers.write64(EduDevice.DMA_DESTINATION, destination);
        registers.write32(EduDevice.DMA_COUNT, (int) count);
        registers.write32(EduDevice.DMA_COMMAND, (int) command);
        PciTestBench.await("the transfer", () -> (registers.read32(EduDevice.DMA_COMMAND) & 1) == 0);
    }

    @Test
    void refusesWidthsAndOffsetsTheSpecificationDoesNotHave() {
        assertMachineCheck("edu0: 8-byte read at offset 0x0: edu registers below 0x80 are 4 bytes wide",
                () -> registers.read64(0));
        assertMachineCheck("edu0: 2-byte write at offset 0x90: edu registers from 0x80 are 4 or 8 bytes wide",
                () -> registers.write16(0x90, 1));
        assertMachineCheck("edu0: 4-byte read at offset 0x60: interrupt raise is write-only",
                () -> registers.read32(EduDevice.INTERRUPT_RAISE));
        assertMachineCheck("edu0: 4-byte read at offset 0x64: interrupt acknowledge is write-only",
                () -> registers.read32(EduDevice.INTERRUPT_ACK));
        assertMachineCheck("edu0: 4-byte write at offset 0x0: identification is read-only",
                () -> registers.write32(0, 1));
        assertMachineCheck("edu0: 4-byte write at offset 0x24: interrupt status is read-only",
                () -> registers.write32(EduDevice.INTERRUPT_STATUS, 1));
        assertMachineCheck("edu0: 4-byte read at offset 0x40000: no register there", () -> registers.read32(0x40000));
        assertMachineCheck("edu0: 4-byte write at offset 0x10: no register there", () -> registers.write32(0x10, 0));
        assertThrows(IllegalArgumentException.class, () -> edu.barRegisters(1));
    }

    private static void assertMachineCheck(String message, Runnable access) {
        MachineCheckException e = assertThrows(MachineCheckException.class, access::run);
        assertTrue(e.getMessage().endsWith(message), e.getMessage());
    }

    @Test
    void powerOffStopsTheWorkerAndLaterWorkIsDropped() throws InterruptedException {
        bench.pcie.close();
        PciTestBench.await("the worker to stop", edu::workerStopped);
        registers.write32(EduDevice.FACTORIAL, 4);
        Thread.sleep(20);
        assertEquals(1, registers.read32(EduDevice.STATUS) & 1, "nothing computes after power-off");
    }
}

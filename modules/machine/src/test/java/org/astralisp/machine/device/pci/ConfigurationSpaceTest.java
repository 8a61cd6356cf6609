package org.astralisp.machine.device.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ECAM and the type 0 header: identification, Command, Status, BAR sizing, decoding, INTx. */
class ConfigurationSpaceTest {

    /** A function with a 64-bit prefetchable BAR in slots 2-3 and INTC#; registers that read their offset. */
    static final class WideFunction extends PciFunction {
        WideFunction(int pin) {
            super(0x1af4, 0x1234, 1, 0x02_00_00, 0x1af4, 0x0001, pin, new byte[0]);
            defineBar(2, new MemoryBar(1L << 14, true, true));
        }

        @Override
        public String name() {
            return "wide";
        }

        @Override
        protected MmioDevice barRegisters(int slot) {
            return new MmioDevice() {
                @Override
                public String name() {
                    return "wide";
                }

                @Override
                public long size() {
                    return 1L << 14;
                }

                @Override
                public long read(long offset, int width) {
                    return offset;
                }

                @Override
                public void write(long offset, int width, long value) {
                    throw new MachineCheckException("read-only");
                }
            };
        }
    }

    private final PciTestBench bench = new PciTestBench();

    @AfterEach
    void close() {
        bench.close();
    }

    private EduDevice plugEdu() {
        EduDevice edu = new EduDevice("edu0", bench.ram);
        bench.pcie.plug(0, new HostBridge());
        bench.pcie.plug(1, edu);
        return edu;
    }

    @Test
    void absentFunctionsReadAllOnesAndIgnoreWrites() {
        plugEdu();
        assertEquals(0xFFFF_FFFF, bench.read32(2, 0, 0));
        assertEquals(0xFFFF, bench.ecam.read16(PciTestBench.config(2, 0, 0)));
        assertEquals(0xFF, bench.ecam.read8(PciTestBench.config(31, 7, 0xFFF)));
        assertEquals(0xFFFF_FFFF, bench.read32(1, 1, 0), "function 1 of a single-function device");
        assertEquals(0xFFFF_FFFF, bench.ecam.read32(1 << 20), "bus 1 has no devices");
        bench.write32(2, 0, 4, 0xFFFF);
        assertEquals(0xFFFF_FFFF, bench.read32(2, 0, 4));
    }

    @Test
    void hostBridgeAndEduIdentifyThemselves() {
        plugEdu();
        assertEquals(0x0008_1b36, bench.read32(0, 0, 0x00));
        assertEquals(0x0600_0000, bench.read32(0, 0, 0x08));
        assertEquals(0, bench.read32(0, 0, 0x0C) >>> 16 & 0xFF, "header type 0, single function");
        assertEquals(0, bench.read32(0, 0, 0x04) >>> 16, "no capabilities, no interrupt");
        assertEquals(0x11e8_1234, bench.read32(1, 0, 0x00));
        assertEquals(0x00ff_0010, bench.read32(1, 0, 0x08), "class 00ff00, revision 0x10");
        assertEquals(0x1100_1af4, bench.read32(1, 0, 0x2C));
        assertEquals(0x0100, bench.read32(1, 0, 0x3C), "INTA#, line 0");
        assertEquals(0x40, bench.read32(1, 0, 0x34));
        assertEquals(PciFunction.STATUS_CAPABILITIES, bench.read32(1, 0, 0x04) >>> 16);
        assertEquals(0x0092_0010, bench.read32(1, 0, 0x40), "PCI Express capability, RCiEP, version 2, last");
        assertEquals(0, bench.read32(1, 0, 0x100), "no extended capabilities");
        assertEquals(0, bench.read32(1, 0, 0x30), "no expansion ROM");
    }

    @Test
    void commandKeepsOnlyItsWritableBitsAndReadOnlyFieldsIgnoreWrites() {
        plugEdu();
        bench.write32(1, 0, 0x04, 0xFFFF_FFFF);
        assertEquals(0x0546, bench.read32(1, 0, 0x04) & 0xFFFF);
        bench.ecam.write8(PciTestBench.config(1, 0, 0x05), 0);
        assertEquals(0x0046, bench.read32(1, 0, 0x04) & 0xFFFF, "a byte write changes only its byte");
        bench.write32(1, 0, 0x00, 0);
        bench.write32(1, 0, 0x08, 0);
        assertEquals(0x11e8_1234, bench.read32(1, 0, 0x00));
        assertEquals(0x00ff_0010, bench.read32(1, 0, 0x08));
        bench.write32(1, 0, 0x3C, 0xFFFF_FF2A);
        assertEquals(0x012A, bench.read32(1, 0, 0x3C), "interrupt line is a scratch byte, pin is read-only");
        bench.write32(1, 0, 0x0C, 0xFFFF_FFFF);
        assertEquals(0xFF, bench.read32(1, 0, 0x0C), "cache line size only");
    }

    @Test
    void thirtyTwoBitBarSizesToOneMebibyte() {
        plugEdu();
        assertEquals(0, bench.read32(1, 0, 0x10));
        bench.write32(1, 0, 0x10, 0xFFFF_FFFF);
        assertEquals(0xFFF0_0000, bench.read32(1, 0, 0x10), "size mask, memory, 32-bit, non-prefetchable");
        bench.write32(1, 0, 0x10, 0x4012_3456);
        assertEquals(0x4010_0000, bench.read32(1, 0, 0x10), "address bits below the size are zero");
        for (int slot = 1; slot < 6; slot++) {
            bench.write32(1, 0, 0x10 + 4 * slot, 0xFFFF_FFFF);
            assertEquals(0, bench.read32(1, 0, 0x10 + 4 * slot), "unused BAR " + slot);
        }
    }

    @Test
    void sixtyFourBitPrefetchableBarSizesAcrossTwoSlots() {
        bench.pcie.plug(3, new WideFunction(3), new WideFunction(0));
        assertEquals(0xC, bench.read32(3, 0, 0x18), "64-bit, prefetchable");
        bench.write32(3, 0, 0x18, 0xFFFF_FFFF);
        bench.write32(3, 0, 0x1C, 0xFFFF_FFFF);
        assertEquals(0xFFFF_C00C, bench.read32(3, 0, 0x18));
        assertEquals(0xFFFF_FFFF, bench.read32(3, 0, 0x1C));
        bench.write32(3, 0, 0x1C, 0);
        bench.write32(3, 0, 0x18, 0x4000_8000);
        bench.write32(3, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        assertEquals(Map.of("wide/2", 0x4000_8000L), bench.pcie.decodedBars());
        assertEquals(0x10L, bench.bus.map(0x4000_8000L, 0x4000).read32(0x10));
        assertEquals(0x80, bench.read32(3, 0, 0x0C) >>> 16, "multi-function header type");
        assertEquals(0x1234_1af4, bench.read32(3, 1, 0), "function 1 of a multi-function device");
        bench.write32(3, 0, 0x1C, 1);
        assertEquals(Map.of(), bench.pcie.decodedBars(), "above 4 GiB is outside the window");
    }

    @Test
    void barDecodesOnlyWhileMemorySpaceIsEnabledAndFollowsItsAddress() {
        plugEdu();
        bench.write32(1, 0, 0x10, 0x4010_0000);
        assertThrows(MachineCheckException.class, () -> bench.bus.map(0x4010_0000L, 0x10_0000));
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        Mmio first = bench.bus.map(0x4010_0000L, 0x10_0000);
        assertEquals(EduDevice.IDENTIFICATION, first.read32(0));
        bench.write32(1, 0, 0x10, 0x4020_0000);
        MachineCheckException stale = assertThrows(MachineCheckException.class, () -> first.read32(0));
        assertTrue(stale.getMessage().contains("no longer decoded"), stale.getMessage());
        assertEquals(EduDevice.IDENTIFICATION, bench.bus.map(0x4020_0000L, 0x10_0000).read32(0));
        bench.write32(1, 0, 0x04, 0);
        assertThrows(MachineCheckException.class, () -> bench.bus.map(0x4020_0000L, 0x10_0000));
    }

    @Test
    void aBarThatDidNotMoveKeepsItsWindows() {
        plugEdu();
        bench.write32(1, 0, 0x10, 0x4010_0000);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        Mmio window = bench.bus.map(0x4010_0000L, 0x10_0000);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE | PciFunction.COMMAND_BUS_MASTER);
        bench.write32(1, 0, 0x10, 0x4010_0000);
        assertEquals(EduDevice.IDENTIFICATION, window.read32(0));
    }

    @Test
    void barsOutsideTheWindowOrOverlappingAnEarlierOneDoNotDecode() {
        plugEdu();
        bench.pcie.plug(2, new EduDevice("edu1", bench.ram));
        bench.write32(1, 0, 0x10, 0x3FF0_0000);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        assertEquals(Map.of(), bench.pcie.decodedBars(), "below the window");
        bench.write32(1, 0, 0x10, 0x4000_0000);
        bench.write32(2, 0, 0x10, 0x4000_0000);
        bench.write32(2, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        assertEquals(Map.of("edu0/0", 0x4000_0000L), bench.pcie.decodedBars());
        bench.write32(1, 0, 0x10, 0x4010_0000);
        assertEquals(Map.of("edu0/0", 0x4010_0000L, "edu1/0", 0x4000_0000L), bench.pcie.decodedBars());
    }

    @Test
    void translatedWindowDecodesBusAddressesAtTheirCpuAddresses() {
        try (PciTestBench translated = new PciTestBench(0x8000_0000L)) {
            translated.pcie.plug(1, new EduDevice("edu0", translated.ram));
            translated.write32(1, 0, 0x10, 0x8030_0000);
            translated.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
            assertEquals(Map.of("edu0/0", 0x4030_0000L), translated.pcie.decodedBars());
            translated.write32(1, 0, 0x10, 0x4030_0000);
            assertEquals(Map.of(), translated.pcie.decodedBars(), "below the window's bus address");
        }
    }

    @Test
    void intxFollowsTheRequestGatedByInterruptDisableAndSwizzled() {
        EduDevice edu = plugEdu();
        bench.write32(1, 0, 0x10, 0x4000_0000);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        Mmio registers = bench.bus.map(0x4000_0000L, EduDevice.BAR0_SIZE);
        registers.write32(EduDevice.INTERRUPT_RAISE, 0x5);
        assertTrue(bench.lines.get(1).level, "device 1 INTA# swizzles to line 1 (INTB)");
        assertFalse(bench.lines.get(0).level || bench.lines.get(2).level || bench.lines.get(3).level);
        assertEquals(PciFunction.STATUS_INTERRUPT | PciFunction.STATUS_CAPABILITIES, bench.read32(1, 0, 4) >>> 16);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE | PciFunction.COMMAND_INTERRUPT_DISABLE);
        assertFalse(bench.lines.get(1).level, "Interrupt Disable lowers the pin");
        assertEquals(PciFunction.STATUS_INTERRUPT, bench.read32(1, 0, 4) >>> 16 & PciFunction.STATUS_INTERRUPT,
                "Interrupt Status still shows the request");
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        assertTrue(bench.lines.get(1).level);
        registers.write32(EduDevice.INTERRUPT_ACK, 0x1);
        assertTrue(bench.lines.get(1).level, "0x4 is still raised");
        assertEquals(0x4, registers.read32(EduDevice.INTERRUPT_STATUS));
        registers.write32(EduDevice.INTERRUPT_ACK, 0x4);
        assertFalse(bench.lines.get(1).level);
        assertEquals(0, bench.read32(1, 0, 4) >>> 16 & PciFunction.STATUS_INTERRUPT);
        assertEquals(2, bench.lines.get(1).raises);
        assertEquals("edu0", edu.name());
    }

    @Test
    void sharedLineStaysAssertedWhileAnyFunctionAssertsIt() {
        plugEdu();
        EduDevice second = new EduDevice("edu5", bench.ram);
        bench.pcie.plug(5, second);
        assertEquals(1, IntxLines.swizzle(5, 1), "device 5 INTA# shares line 1 with device 1");
        bench.write32(1, 0, 0x10, 0x4000_0000);
        bench.write32(5, 0, 0x10, 0x4010_0000);
        bench.write32(1, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        bench.write32(5, 0, 0x04, PciFunction.COMMAND_MEMORY_SPACE);
        Mmio one = bench.bus.map(0x4000_0000L, EduDevice.BAR0_SIZE);
        Mmio five = bench.bus.map(0x4010_0000L, EduDevice.BAR0_SIZE);
        one.write32(EduDevice.INTERRUPT_RAISE, 1);
        five.write32(EduDevice.INTERRUPT_RAISE, 1);
        one.write32(EduDevice.INTERRUPT_ACK, 1);
        assertTrue(bench.pcie.lineAsserted(1));
        five.write32(EduDevice.INTERRUPT_ACK, 1);
        assertFalse(bench.pcie.lineAsserted(1));
        assertEquals(1, bench.lines.get(1).raises);
    }

    @Test
    void ecamRefusesEightByteAccesses() {
        plugEdu();
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> bench.ecam.read64(0));
        assertTrue(e.getMessage().contains("configuration accesses are 1, 2 or 4 bytes"), e.getMessage());
        assertThrows(MachineCheckException.class, () -> bench.ecam.write64(0, 0));
    }

    @Test
    void buildingRefusesBadShapes() {
        plugEdu();
        assertThrows(IllegalArgumentException.class, () -> bench.pcie.plug(1, new HostBridge()));
        assertThrows(IllegalArgumentException.class, () -> bench.pcie.plug(4));
        HostBridge bridge = new HostBridge();
        bench.pcie.plug(6, bridge);
        assertThrows(IllegalStateException.class, () -> bench.pcie.plug(7, bridge));
        assertEquals(0xFFFF_FFFF, bench.read32(7, 0, 0), "a refused plug leaves the slot empty");
        assertThrows(IllegalArgumentException.class, () -> new WideFunction(5));
        WideFunction wide = new WideFunction(1);
        assertThrows(IllegalArgumentException.class, () -> wide.defineBar(3, new MemoryBar(16, false, false)));
        assertThrows(IllegalArgumentException.class, () -> wide.defineBar(5, new MemoryBar(16, true, false)));
        assertThrows(IllegalArgumentException.class, () -> wide.defineBar(1, new MemoryBar(16, true, false)));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBar(3000, false, false));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBar(1L << 32, false, false));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBar(8, true, false));
        assertThrows(IllegalArgumentException.class, () -> new IntxLines(java.util.List.of()));
        assertThrows(IndexOutOfBoundsException.class, () -> IntxLines.swizzle(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new HostBridge().barRegisters(0));
        assertThrows(IllegalArgumentException.class, () -> new PcieEcam(3 << 19));
    }
}

package org.astralisp.hal.api.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.device.pci.HostBridge;
import org.astralisp.machine.device.pci.MemoryBar;
import org.astralisp.machine.device.pci.PciFunction;
import org.astralisp.machine.device.pci.PcieRootComplex;
import org.astralisp.machine.port.IrqLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BAR sizing and assignment on a root complex populated beyond the boards'
 * two functions: 64-bit and prefetchable BARs, several BARs per function, a
 * multi-function device, and BARs that together or alone exceed the window —
 * the machine's own PCI model at the riscv64 addresses ({@link SyntheticPciTree}).
 */
class BarAssignmentTest {

    /** A function with the given BARs in consecutive slots (a 64-bit one takes two); INTA#. */
    private static final class Function extends PciFunction {
        private final String name;

        Function(String name, MemoryBar... bars) {
            super(0x1af4, 0x1000 + bars.length, 0, 0x02_00_00, 0, 0, 1, new byte[0]);
            this.name = name;
            int slot = 0;
            for (MemoryBar bar : bars) {
                defineBar(slot, bar);
                slot += bar.is64() ? 2 : 1;
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected MmioDevice barRegisters(int slot) {
            return new MmioDevice() {
                @Override
                public String name() {
                    return name + "/" + slot;
                }

                @Override
                public long size() {
                    return 16;
                }

                @Override
                public long read(long offset, int width) {
                    return slot;
                }

                @Override
                public void write(long offset, int width, long value) {
                }
            };
        }
    }

    private static final IrqLine NO_LINE = new IrqLine() {
        @Override
        public void raise() {
        }

        @Override
        public void lower() {
        }
    };

    private SystemBus bus;
    private PcieRootComplex pcie;

    @BeforeEach
    void build() {
        bus = new SystemBus(new PhysicalRange(0x8000_0000L, 1 << 20));
        pcie = new PcieRootComplex(bus, new PhysicalRange(0x3000_0000L, 256 << 20),
                new PhysicalRange(0x4000_0000L, 1 << 30), 0x4000_0000L, List.of(NO_LINE, NO_LINE, NO_LINE, NO_LINE));
        pcie.plug(0, new HostBridge());
    }

    @Test
    void assignsLargestFirstNaturallyAlignedAcrossFunctionsAndWidths() throws Exception {
        pcie.plug(1, new Function("small", new MemoryBar(0x1000, false, false), new MemoryBar(0x4000, true, true)));
        pcie.plug(2, new Function("big", new MemoryBar(1 << 20, false, true)),
                new Function("fn1", new MemoryBar(0x2000, true, false)));
        PciBus found = PciEnumerator.enumerate(new SyntheticPciTree().tree(), bus);

        assertEquals(List.of("00:00.0", "00:01.0", "00:02.0", "00:02.1"),
                found.devices().stream().map(d -> d.address().toString()).toList());
        PciDevice small = found.device(PciAddress.parse("00:01.0")).orElseThrow();
        assertEquals(List.of(new PciBar(0, 0x4010_6000L, 0x4010_6000L, 0x1000, false, false, true),
                new PciBar(1, 0x4010_0000L, 0x4010_0000L, 0x4000, true, true, true)), small.bars());
        PciDevice big = found.device(PciAddress.parse("00:02.0")).orElseThrow();
        assertTrue(big.multiFunction());
        assertEquals(List.of(new PciBar(0, 0x4000_0000L, 0x4000_0000L, 1 << 20, false, true, true)), big.bars());
        assertEquals(List.of(new PciBar(0, 0x4010_4000L, 0x4010_4000L, 0x2000, true, false, true)),
                found.device(PciAddress.parse("00:02.1")).orElseThrow().bars());
        assertEquals(1L, bus.map(0x4010_0000L, 16).read32(0), "the 64-bit BAR in slot 1 decodes");
        assertEquals(0L, bus.map(0x4010_6000L, 16).read32(0));
    }

    @Test
    void aFunctionThatDoesNotFitGivesItsSpaceBackToTheOthers() throws Exception {
        pcie.plug(1, new Function("fits", new MemoryBar(512 << 20, false, false)));
        pcie.plug(2, new Function("greedy", new MemoryBar(256 << 20, false, false),
                new MemoryBar(1 << 30, false, false)));
        pcie.plug(3, new Function("late", new MemoryBar(512 << 20, false, false)));
        PciBus found = PciEnumerator.enumerate(new SyntheticPciTree().tree(), bus);

        PciDevice greedy = found.device(PciAddress.parse("00:02.0")).orElseThrow();
        assertFalse(greedy.memoryEnabled());
        assertEquals(Optional.of("its BARs (1280M in all) do not fit in the 32-bit memory window"
                + " [0x40000000, 0x80000000) beside the other functions: memory decoding left off"), greedy.problem());
        assertTrue(greedy.bars().stream().noneMatch(PciBar::assigned));
        List<Long> placed = new ArrayList<>();
        for (String address : List.of("00:01.0", "00:03.0")) {
            PciDevice device = found.device(PciAddress.parse(address)).orElseThrow();
            assertTrue(device.memoryEnabled(), address);
            placed.add(device.bars().getFirst().busAddress());
        }
        assertEquals(List.of(0x4000_0000L, 0x6000_0000L), placed, "the two 512M BARs fill the window");
    }
}

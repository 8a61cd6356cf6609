package org.astralisp.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;

class MemoryMapTest {

    @Test
    void readsRamFromMemoryNodesAndReservationsFromTheBlockAndEnabledStaticRegions() throws Exception {
        MemoryMap map = MemoryMap.of(FlattenedDeviceTree.parse(Machines.resource(getClass(), "reserved-memory.dtb")));

        assertEquals(List.of(new PhysicalRange(0x8000_0000L, 0x100_0000L), new PhysicalRange(0x1_0000_0000L, 0x80_0000L)),
                map.ram());
        assertEquals(List.of(new PhysicalRange(0x8000_0000L, 0x2000L), new PhysicalRange(0x8080_0000L, 0x10_0000L)),
                map.reserved());
    }

    @Test
    void aMachineReservesNothing() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            MemoryMap map = MemoryMap.of(Machines.deviceTree(machine));

            assertEquals(List.of(new PhysicalRange(machine.memory().base(), Machines.RAM)), map.ram());
            assertEquals(List.of(), map.reserved());
        }
    }
}

package org.astralisp.hal.api.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random configuration writes — any function, absent ones included, any
 * register, 1, 2 or 4 bytes, random values — never throw, and leave nothing
 * the enumerator cannot configure again: afterwards it finds the same functions
 * with the same BARs and interrupt lines, and the edu device answers at its BAR.
 */
class EcamFuzzTest {

    private static final int ROUNDS = 20;
    private static final int WRITES = 400;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void randomConfigWritesLeaveTheEnumeratorWorking(Architecture architecture) throws Exception {
        try (Machine machine = PciEnumeratorTest.machine(architecture)) {
            DeviceTree tree = PciEnumeratorTest.tree(machine);
            PciHostNode host = PciHostNode.find(tree).orElseThrow();
            Mmio ecam = machine.mmio().map(host.ecamBase(), 1 << 20);
            List<PciDevice> expected = PciEnumerator.enumerate(tree, machine.mmio()).devices();
            Random random = new Random(architecture.ordinal() * 7919L + 17);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < WRITES; i++) {
                    int width = 1 << random.nextInt(3);
                    long offset = (long) random.nextInt(4) << 15 | (long) random.nextInt(8) << 12
                            | random.nextInt(0x1000) & -width;
                    if (random.nextInt(4) == 0) {
                        offset = offset & ~0xFFFL | random.nextInt(0x40) & -width;
                    }
                    int value = random.nextInt(8) == 0 ? -1 : random.nextInt();
                    switch (width) {
                        case 1 -> ecam.write8(offset, value);
                        case 2 -> ecam.write16(offset, value);
                        default -> ecam.write32(offset, value);
                    }
                    ecam.read32(offset & ~3L);
                }
                PciBus bus = PciEnumerator.enumerate(tree, machine.mmio());
                assertEquals(expected, bus.devices(), "round " + round);
                long bar = bus.device(PciEnumeratorTest.EDU).orElseThrow().bars().getFirst().cpuAddress();
                assertEquals(0x010000ed, machine.mmio().map(bar, 1 << 20).read32(0), "round " + round);
            }
        }
    }
}

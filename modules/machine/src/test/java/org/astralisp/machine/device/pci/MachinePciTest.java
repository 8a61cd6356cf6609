package org.astralisp.machine.device.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each machine has the host bridge and the edu device on bus 0 at its board's ECAM and memory window. */
class MachinePciTest {

    @ParameterizedTest
    @CsvSource({
        "X86_64,  0xb0000000,      0xc0000000, 0xc0000000",
        "RISCV64, 0x30000000,      0x40000000, 0x40000000",
        "PPC64,   0x6000010000000, 0x80000000, 0x6000080000000",
    })
    void eduDecodesAtTheTranslatedAddressAndItsWorkerStopsWithTheMachine(Architecture architecture, String ecamText,
            String busText, String cpuText) throws InterruptedException {
        long ecamBase = Long.decode(ecamText);
        long busAddress = Long.decode(busText);
        long cpuAddress = Long.decode(cpuText);
        Machine machine = Machine.create(new MachineConfig(architecture, 1, 64L << 20, ""));
        try {
            Mmio ecam = machine.mmio().map(ecamBase, 1 << 20);
            assertEquals(0x0008_1b36, ecam.read32(0));
            assertEquals(0x11e8_1234, ecam.read32(1 << 15));
            assertEquals(0xFFFF_FFFF, ecam.read32(2 << 15));
            ecam.write32((1 << 15) + 0x10, (int) busAddress);
            ecam.write32((1 << 15) + 0x04, PciFunction.COMMAND_MEMORY_SPACE);
            Mmio edu = machine.mmio().map(cpuAddress, EduDevice.BAR0_SIZE);
            assertEquals(EduDevice.IDENTIFICATION, edu.read32(0));
            edu.write32(EduDevice.FACTORIAL, 6);
            PciTestBench.await("6!", () -> edu.read32(EduDevice.FACTORIAL) == 720);
        } finally {
            machine.close();
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("edu0") && thread.isAlive()), "edu0 still runs");
    }
}

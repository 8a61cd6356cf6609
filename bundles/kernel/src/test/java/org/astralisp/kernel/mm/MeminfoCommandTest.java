package org.astralisp.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeminfoCommandTest {

    @Test
    void printsFramesPerZoneBytesAndFreeBlocksPerOrder() throws Exception {
        // 1 MiB of 64 KiB frames below 4 GiB, the first reserved; 256 KiB just above 4 GiB.
        PhysicalMemoryManager pmm = new FrameAllocator(65536,
                List.of(new PhysicalRange(0, 1L << 20), new PhysicalRange(1L << 32, 256L << 10)),
                List.of(new PhysicalRange(0, 65536)));
        pmm.allocate(1);
        assertThrows(OutOfPhysicalMemoryException.class, () -> pmm.allocateContiguous(1L << 20, 65536,
                PhysicalMemoryManager.NO_LIMIT));

        assertEquals("""
                page size 65536 bytes, orders 0..14 (blocks of 64 KiB to 1 GiB)

                frames
                zone            total         free    allocated     reserved   failed
                DMA32              15           15            0            1        1
                NORMAL              4            2            2            0        1
                all                19           17            2            1        2
                bytes        1216 KiB     1088 KiB      128 KiB       64 KiB

                free blocks
                order       block        DMA32       NORMAL
                0          64 KiB            1            0
                1         128 KiB            1            1
                2         256 KiB            1            0
                3         512 KiB            1            0
                4           1 MiB            0            0
                5           2 MiB            0            0
                6           4 MiB            0            0
                7           8 MiB            0            0
                8          16 MiB            0            0
                9          32 MiB            0            0
                10         64 MiB            0            0
                11        128 MiB            0            0
                12        256 MiB            0            0
                13        512 MiB            0            0
                14          1 GiB            0            0
                """, run(pmm));
    }

    @ParameterizedTest
    @CsvSource({
        "X86_64,  'page size 4096 bytes, orders 0..18 (blocks of 4 KiB to 1 GiB)',   32768, 128 MiB",
        "RISCV64, 'page size 4096 bytes, orders 0..18 (blocks of 4 KiB to 1 GiB)',   32768, 128 MiB",
        "PPC64,   'page size 65536 bytes, orders 0..14 (blocks of 64 KiB to 1 GiB)', 2048,  128 MiB"})
    void showsEachMachinesRam(Architecture architecture, String header, long frames, String bytes) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            PhysicalMemoryManager pmm = PhysicalMemoryComponent.build(Machines.deviceTree(machine), Optional.empty())
                    .orElseThrow();

            List<String> lines = run(pmm).lines().toList();

            assertEquals(header, lines.getFirst());
            assertEquals("%-8s %12d %12d %12d %12d %8d".formatted("DMA32", frames, frames, 0, 0, 0), lines.get(4));
            assertTrue(lines.get(7).startsWith("%-8s %12s %12s".formatted("bytes", bytes, bytes)), lines.get(7));
        }
    }

    @Test
    void refusesArguments() {
        MeminfoCommand meminfo = new MeminfoCommand(new FrameAllocator(4096,
                List.of(new PhysicalRange(0, 1L << 20)), List.of()));

        CommandException e = assertThrows(CommandException.class,
                () -> meminfo.execute(List.of("-h"), new PrintWriter(new StringWriter())));
        assertEquals("usage: meminfo", e.getMessage());
        assertEquals("meminfo", meminfo.name());
        assertTrue(meminfo.synopsis().startsWith("meminfo "));
    }

    @Test
    void sizesUseTheLargestUnitThatDividesExactly() {
        assertEquals("0 B", MeminfoCommand.size(0));
        assertEquals("1000 B", MeminfoCommand.size(1000));
        assertEquals("131068 KiB", MeminfoCommand.size(131068L << 10));
        assertEquals("3 GiB", MeminfoCommand.size(3L << 30));
        assertEquals("2048 TiB", MeminfoCommand.size(1L << 51));
    }

    private static String run(PhysicalMemoryManager pmm) throws CommandException {
        StringWriter text = new StringWriter();
        new MeminfoCommand(pmm).execute(List.of(), new PrintWriter(text, true));
        return text.toString();
    }
}

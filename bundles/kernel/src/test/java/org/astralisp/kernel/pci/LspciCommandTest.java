package org.astralisp.kernel.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.hal.api.pci.PciAddress;
import org.astralisp.hal.api.pci.PciBar;
import org.astralisp.hal.api.pci.PciBus;
import org.astralisp.hal.api.pci.PciDevice;
import org.astralisp.hal.api.pci.PciEnumerator;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LspciCommandTest {

    @Test
    void listsOneLinePerFunctionWithTheRevisionOnlyWhenNonZero() throws Exception {
        try (Machine machine = Machines.create(Architecture.X86_64)) {
            assertEquals("""
                    00:00.0 Host bridge [0600]: 1b36:0008
                    00:01.0 Unclassified device [00ff]: 1234:11e8 (rev 10)
                    """, run(machine, List.of()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            X86_64  | c0000000      | 17 (/soc/interrupt-controller@fec00000)
            RISCV64 | 40000000      | 33 (/soc/interrupt-controller@c000000)
            PPC64   | 6000080000000 | 33 (/soc/interrupt-controller@6000000000000)
            """)
    void verboseShowsSubsystemFlagsInterruptAndBarsAtTheirCpuAddress(Architecture architecture, String address,
            String irq) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            assertEquals("""
                    00:00.0 Host bridge [0600]: 1b36:0008
                    \tSubsystem: 1af4:1100

                    00:01.0 Unclassified device [00ff]: 1234:11e8 (rev 10)
                    \tSubsystem: 1af4:1100
                    \tFlags: bus master, memory
                    \tInterrupt: pin A routed to IRQ %s
                    \tMemory at %s (32-bit, non-prefetchable) [size=1M]

                    """.formatted(irq, address), run(machine, List.of("-v")));
        }
    }

    @Test
    void selectsOneFunction() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            assertEquals("00:01.0 Unclassified device [00ff]: 1234:11e8 (rev 10)\n",
                    run(machine, List.of("-s", "00:01.0")));
            assertEquals(6, run(machine, List.of("-s", "00:01.0", "-v")).lines().count(), "five lines and a blank one");
        }
    }

    @Test
    void showsAFunctionLeftDisabledWithItsReasonAndUnassignedBars() {
        PciDevice disabled = new PciDevice(new PciAddress(0, 3, 1), 0x1af4, 0x1041, 1, 0x020000, 0, true, 0x1af4,
                0x0001, 0, Optional.empty(), List.of(new PciBar(4, 0, 0, 1 << 14, true, true, false)), false,
                Optional.of("its BARs (16K in all) do not fit"));
        assertEquals("00:03.1 Ethernet controller [0200]: 1af4:1041 (rev 01)", LspciCommand.summary(disabled));
        assertEquals(List.of("Subsystem: 1af4:0001", "Disabled: its BARs (16K in all) do not fit",
                "Memory at <unassigned> (64-bit, prefetchable) [size=16K]"), LspciCommand.details(disabled));
    }

    @Test
    void namesClassesBySubclassThenBaseClass() {
        assertEquals("Host bridge", PciClassNames.name(0x0600));
        assertEquals("Bridge", PciClassNames.name(0x0680));
        assertEquals("Unclassified device", PciClassNames.name(0x00ff));
        assertEquals("Class", PciClassNames.name(0x7f01));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -x             | unexpected argument "-x"; usage: lspci [-v] [-s bb:dd.f]
            -v,-v          | unexpected argument "-v"; usage: lspci [-v] [-s bb:dd.f]
            -s             | -s needs a function address bb:dd.f; usage: lspci [-v] [-s bb:dd.f]
            -s,1.0         | "1.0" is not a PCI address of the form bb:dd.f (hex bus and device, function 0..7)
            -s,00:02.0     | no function at 00:02.0
            -s,00:01.0,-s,00:00.0 | unexpected argument "-s"; usage: lspci [-v] [-s bb:dd.f]
            """)
    void refusesBadArgumentsNamingThem(String args, String message) throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            CommandException e = assertThrows(CommandException.class, () -> run(machine, List.of(args.split(","))));
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void describesItself() {
        PciBus empty = List::of;
        LspciCommand lspci = new LspciCommand(empty);
        assertEquals("lspci", lspci.name());
        assertTrue(lspci.synopsis().startsWith("lspci [-v] [-s bb:dd.f] "));
    }

    private static String run(Machine machine, List<String> args) throws Exception {
        PciBus bus = PciEnumerator.enumerate(Machines.deviceTree(machine), machine.mmio());
        StringWriter text = new StringWriter();
        new LspciCommand(bus).execute(args, new PrintWriter(text, true));
        return text.toString();
    }
}

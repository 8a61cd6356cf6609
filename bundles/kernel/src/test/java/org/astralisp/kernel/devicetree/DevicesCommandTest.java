package org.astralisp.kernel.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevicesCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            RISCV64 | /  compatible="astralisp,riscv64-virt" | serial@10000000  compatible="ns16550a"  reg=0x10000000+0x100  interrupts=10 (/soc/interrupt-controller@c000000) | interrupt-controller@c000000  compatible="sifive,plic-1.0.0","riscv,plic0"
            X86_64  | /  compatible="astralisp,x86-64-virt"  | serial@fe000000  compatible="ns16550a"  reg=0xfe000000+0x100  interrupts=4 2 (/soc/interrupt-controller@fec00000) | interrupt-controller@fec00000  compatible="intel,ce4100-ioapic"
            PPC64   | /  compatible="astralisp,ppc64-virt"   | serial@6000001000000  compatible="ns16550a"  reg=0x6000001000000+0x100  interrupts=10 4 (/soc/interrupt-controller@6000000000000) | interrupt-controller@6000000000000  compatible="astralisp,xive"
            """)
    void listsTheMachinesDevicesIndentedByDepth(Architecture architecture, String root, String uart, String controller)
            throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            List<String> lines = run(new DevicesCommand(Machines.deviceTree(machine))).lines().toList();

            assertEquals(root, lines.getFirst());
            assertTrue(lines.contains("    " + uart), () -> String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("    " + controller + "  reg=")),
                    () -> String.join("\n", lines));
            assertTrue(lines.contains("  soc  compatible=\"simple-bus\""), () -> String.join("\n", lines));
            assertEquals(8, lines.stream().filter(line -> line.contains("compatible=\"virtio,mmio\"")).count());
        }
    }

    @Test
    void refusesArguments() throws Exception {
        try (Machine machine = Machines.create(Architecture.RISCV64)) {
            DevicesCommand devices = new DevicesCommand(Machines.deviceTree(machine));

            CommandException e = assertThrows(CommandException.class,
                    () -> devices.execute(List.of("soc"), new PrintWriter(new StringWriter())));
            assertEquals("usage: devices", e.getMessage());
            assertEquals("devices", devices.name());
            assertTrue(devices.synopsis().startsWith("devices "));
        }
    }

    private static String run(DevicesCommand command) throws CommandException {
        StringWriter text = new StringWriter();
        command.execute(List.of(), new PrintWriter(text, true));
        return text.toString();
    }
}

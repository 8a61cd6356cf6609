package org.astralisp.machine.device.uart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.console.PipeConsole;
import org.astralisp.machine.devicetree.DtbReader;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console UART as a driver finds and uses it on each machine: the
 * {@code ns16550a} node's {@code reg} maps it, its bytes reach the pipe back
 * end and back, and its interrupt arrives through the platform's controller.
 */
class ConsoleUartOnEachMachineTest {

    private static final long MIB = 1L << 20;
    private static final long TIMEOUT_SECONDS = 10;

    private static Machine machine(Architecture arch, PipeConsole pipe) {
        return Machine.create(new MachineConfig(arch, 1, 64 * MIB, "", pipe));
    }

    /** The UART's window, from the {@code stdout-path} node's {@code reg}, as a driver finds it. */
    private static Mmio mapUart(Machine machine) {
        DtbReader.Node root = DtbReader.read(machine.firmware().deviceTree());
        String path = new String(root.at("chosen").bytes("stdout-path"), StandardCharsets.US_ASCII).trim();
        DtbReader.Node serial = root.at(path.substring(1).replace("\0", ""));
        int[] reg = serial.cells("reg");
        long base = ((long) reg[0] << 32) | Integer.toUnsignedLong(reg[1]);
        long size = ((long) reg[2] << 32) | Integer.toUnsignedLong(reg[3]);
        return machine.mmio().map(base, size);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void consoleRoundTripsThroughThePipe(Architecture arch) throws InterruptedException {
        PipeConsole pipe = new PipeConsole();
        try (Machine machine = machine(arch, pipe)) {
            Mmio uart = mapUart(machine);
            uart.write8(Uart16550.LCR, 0x83);
            uart.write8(Uart16550.RBR_THR_DLL, 1);
            uart.write8(Uart16550.IER_DLM, 0);
            uart.write8(Uart16550.LCR, 0x03);
            uart.write8(Uart16550.IIR_FCR, 0x07);
            pipe.feed("ping");
            StringBuilder line = new StringBuilder();
            while ((uart.read8(Uart16550.LSR) & 0x01) != 0) {
                line.append((char) uart.read8(Uart16550.RBR_THR_DLL));
            }
            assertEquals("ping", line.toString());
            for (byte b : "pong".getBytes(StandardCharsets.US_ASCII)) {
                uart.write8(Uart16550.RBR_THR_DLL, b);
            }
            assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), pipe.readOutput(Duration.ofSeconds(1)));
        }
    }

    @Test
    void riscvUartInterruptIsPendingInThePlicUntilClaimed() throws InterruptedException {
        PipeConsole pipe = new PipeConsole();
        try (Machine machine = machine(Architecture.RISCV64, pipe)) {
            Mmio uart = mapUart(machine);
            Mmio plic = machine.mmio().map(0x0C00_0000L, 0x20_2000);
            int source = 10;
            plic.write32(4L * source, 1);
            plic.write32(0x2000, 1 << source);
            uart.write8(Uart16550.IER_DLM, Uart16550.IER_RECEIVED_DATA);
            assertEquals(0, plic.read32(0x1000) & (1 << source), "nothing received, nothing pending");
            pipe.feed("k");
            assertEquals(1 << source, plic.read32(0x1000) & (1 << source));
            assertEquals(source, plic.read32(0x20_0004), "claim");
            assertEquals('k', uart.read8(Uart16550.RBR_THR_DLL));
            plic.write32(0x20_0004, source);
            assertEquals(0, plic.read32(0x1000) & (1 << source), "the UART lowered its line before completion");
        }
    }

    @Test
    void x86UartInterruptReachesTheCpuThroughIoApicPinFour() throws Exception {
        PipeConsole pipe = new PipeConsole();
        try (Machine machine = machine(Architecture.X86_64, pipe)) {
            Mmio uart = mapUart(machine);
            Mmio ioApic = machine.mmio().map(0xFEC0_0000L, 0x20);
            Mmio apic = machine.mmio().map(0xFEE0_0000L, 0x1000);
            Cpu cpu = machine.cpus().getFirst();
            CompletableFuture<String> received = new CompletableFuture<>();
            cpu.setInterruptEntry((c, vector) -> {
                int iir = uart.read8(Uart16550.IIR_FCR);
                received.complete(Long.toHexString(vector) + " " + Integer.toHexString(iir) + " "
                        + (char) uart.read8(Uart16550.RBR_THR_DLL));
                apic.write32(0x0B0, 0);
            });
            ioApic.write32(0x00, 0x10 + 2 * 4);
            ioApic.write32(0x10, 0x8000 | 0x31);
            ioApic.write32(0x00, 0x11 + 2 * 4);
            ioApic.write32(0x10, 0);
            CountDownLatch ready = new CountDownLatch(1);
            cpu.start(() -> {
                apic.write32(0x0F0, 0x1FF);
                cpu.enableInterrupts();
                ready.countDown();
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            uart.write8(Uart16550.IER_DLM, Uart16550.IER_RECEIVED_DATA);
            pipe.feed("x");
            assertEquals("31 4 x", received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "vector, IIR, character");
        }
    }

    @Test
    void ppc64UartInterruptReachesTheCpuThroughXiveSourceTen() throws Exception {
        PipeConsole pipe = new PipeConsole();
        try (Machine machine = machine(Architecture.PPC64, pipe)) {
            long xiveBase = 0x0006_0000_0000_0000L;
            Mmio uart = mapUart(machine);
            Mmio xive = machine.mmio().map(xiveBase, 0x1_1000);
            Cpu cpu = machine.cpus().getFirst();
            CompletableFuture<String> received = new CompletableFuture<>();
            cpu.setInterruptEntry((c, vector) -> {
                int source = xive.read32(0x1_0004) & 0xFFFFFF;
                received.complete(Long.toHexString(vector) + " " + source + " "
                        + (char) uart.read8(Uart16550.RBR_THR_DLL));
                xive.write32(0x1_0008, source);
                xive.write32(0x1_0000, 0xFF);
            });
            xive.write32(0x1000 + 4 * 10, 5);
            xive.write32(0x1_0000, 0xFF);
            CountDownLatch ready = new CountDownLatch(1);
            cpu.start(() -> {
                cpu.enableInterrupts();
                ready.countDown();
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            uart.write8(Uart16550.IER_DLM, Uart16550.IER_RECEIVED_DATA);
            pipe.feed("p");
            assertEquals("500 10 p", received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "vector, source, character");
        }
    }
}

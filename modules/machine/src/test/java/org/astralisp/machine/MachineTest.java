package org.astralisp.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.machine.devicetree.DtbReader;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MachineTest {

    private static final long MIB = 1L << 20;

    private static MachineConfig config(Architecture arch, int cpus, long memory) {
        return new MachineConfig(arch, cpus, memory, "console=ttyS0");
    }

    @ParameterizedTest
    @CsvSource({
        "x86_64,  0x0,        4096,  I/O APIC + local APIC, local APIC timer,     1000000000",
        "riscv64, 0x80000000, 4096,  PLIC + CLINT,          CLINT mtime/mtimecmp, 10000000",
        "ppc64,   0x0,        65536, XIVE,                  decrementer,          512000000"})
    void eachArchitectureHasItsRamBasePageSizeControllerAndTimer(String arch, String base, int pageSize,
            String controller, String timer, long frequency) {
        try (Machine machine = Machine.create(config(Architecture.named(arch), 2, 64 * MIB))) {
            MachineDescription d = machine.description();
            assertEquals(Architecture.named(arch), d.architecture());
            assertEquals(2, d.cpus());
            assertEquals(64 * MIB, d.memoryBytes());
            assertEquals(Long.decode(base), d.memoryBase());
            assertEquals(Long.decode(base), machine.memory().base());
            assertEquals(64 * MIB, machine.memory().size());
            assertEquals(pageSize, d.pageSize());
            assertEquals(controller, d.interruptController());
            assertEquals(timer, d.timer());
            assertEquals(frequency, d.timerFrequency());
        }
    }

    @Test
    void descriptionPrintsOneLinePerField() {
        try (Machine machine = Machine.create(config(Architecture.RISCV64, 4, 512 * MIB))) {
            assertEquals(List.of(
                    "arch: riscv64",
                    "cpus: 4",
                    "memory: 536870912 bytes (512 MiB) at 0x80000000",
                    "page size: 4096",
                    "interrupt controller: PLIC + CLINT",
                    "timer: CLINT mtime/mtimecmp, 10000000 Hz"), machine.description().lines());
        }
    }

    @Test
    void theConsoleUartIsTheUartOfTheStdoutPathAndAnswersAtThatAddress() {
        long[] expected = {0xFE00_0000L, 0x1000_0000L, 0x0006_0000_0100_0000L};
        Architecture[] architectures = {Architecture.X86_64, Architecture.RISCV64, Architecture.PPC64};
        for (int i = 0; i < architectures.length; i++) {
            try (Machine machine = Machine.create(config(architectures[i], 1, 64 * MIB))) {
                assertEquals(expected[i], machine.consoleUart(), architectures[i].toString());
                // LSR: transmitter empty and idle (bits 5, 6) after reset, 16550A datasheet Table II.
                assertEquals(0x60, machine.mmio().map(machine.consoleUart(), 8).read8(5) & 0x60);
            }
        }
    }

    @Test
    void hasOneCpuPerConfiguredCpuInIdOrder() {
        try (Machine machine = Machine.create(config(Architecture.X86_64, 3, 64 * MIB))) {
            assertEquals(List.of(0, 1, 2), machine.cpus().stream().map(Cpu::id).toList());
            assertThrows(UnsupportedOperationException.class, () -> machine.cpus().clear());
        }
    }

    @Test
    void firmwareIsAReadOnlyDeviceTreeOfThisMachine() {
        try (Machine machine = Machine.create(new MachineConfig(Architecture.PPC64, 2, 128 * MIB, "quiet"))) {
            ByteBuffer blob = machine.firmware().deviceTree();
            assertEquals(0, blob.position());
            assertTrue(blob.isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> blob.put(0, (byte) 0));
            assertEquals(0xd00dfeed, blob.getInt(0));
            assertEquals(0, DtbReader.header(blob).bootCpu());
            DtbReader.Node root = DtbReader.read(blob);
            assertEquals("quiet", root.at("chosen").string("bootargs"));
            assertEquals(2, root.at("cpus").children().size());
            int[] reg = root.at("memory@0").cells("reg");
            assertEquals(128 * MIB, ((long) reg[2] << 32) | Integer.toUnsignedLong(reg[3]));
            assertEquals(0, machine.firmware().deviceTree().position(), "each call starts at 0");
        }
    }

    @Test
    void ramIsGuestMemoryTheMachineCanReadAndWrite() {
        try (Machine machine = Machine.create(config(Architecture.RISCV64, 1, 64 * MIB))) {
            machine.memory().slice(0x8000_1000L, 8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1234L);
            assertEquals(0x1234L, machine.memory().segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0x1000));
        }
    }

    @Test
    void mmioRefusesRamAndAddressesNoDeviceDecodes() {
        try (Machine machine = Machine.create(config(Architecture.RISCV64, 1, 64 * MIB))) {
            assertThrows(MachineCheckException.class, () -> machine.mmio().map(0x8000_0000L, 8));
            assertThrows(MachineCheckException.class, () -> machine.mmio().map(0x2000_0000L, 8));
        }
    }

    @Test
    void x86RamMustEndBelowThePcieEcam() {
        Machine.create(config(Architecture.X86_64, 1, 2816 * MIB)).close();
        MachineException e = assertThrows(MachineException.class,
                () -> Machine.create(config(Architecture.X86_64, 1, 3L << 30)));
        assertEquals("memory 3G: the x86_64 machine's RAM starts at 0x0 and must end by 0xb0000000, where its "
                + "devices begin (at most 2816M)", e.getMessage());
    }

    @Test
    void ppc64RamIsAWholeNumberOf64KiBPages() {
        MachineException e = assertThrows(MachineException.class,
                () -> Machine.create(config(Architecture.PPC64, 1, 64 * MIB + 4096)));
        assertEquals("memory 65540K: not a whole number of ppc64 pages (65536 bytes)", e.getMessage());
    }

    @Test
    void refusesMoreCpusThanThePlatformAddresses() {
        MachineException e = assertThrows(MachineException.class,
                () -> Machine.create(config(Architecture.X86_64, 256, 64 * MIB)));
        assertEquals("256 CPUs: the x86_64 machine has at most 255", e.getMessage());
    }

    @Test
    void refusesMoreMemoryThanTheHostHas() {
        MachineException e = assertThrows(MachineException.class,
                () -> Machine.create(config(Architecture.RISCV64, 1, 1L << 50)));
        assertTrue(e.getMessage().startsWith("memory 1P: guest RAM of 1125899906842624 bytes is more than the host's "),
                e.getMessage());
    }

    @Test
    void configRefusesNoCpusNoMemoryAndNulInBootArguments() {
        assertEquals("0 CPUs: a machine needs at least one", assertThrows(MachineException.class,
                () -> config(Architecture.X86_64, 0, MIB)).getMessage());
        assertEquals("0 bytes of memory: a machine needs some RAM", assertThrows(MachineException.class,
                () -> config(Architecture.X86_64, 1, 0)).getMessage());
        assertThrows(MachineException.class, () -> new MachineConfig(Architecture.X86_64, 1, MIB, "a\0b"));
    }

    @Test
    void architecturesAreNamedAsOnTheCommandLine() {
        assertEquals(Architecture.PPC64, Architecture.named("ppc64"));
        assertEquals("x86_64", Architecture.X86_64.toString());
        MachineException e = assertThrows(MachineException.class, () -> Architecture.named("arm64"));
        assertEquals("no architecture 'arm64': expected one of x86_64, riscv64, ppc64", e.getMessage());
    }

    @Test
    void closeStopsHaltedCpusThenMakesRamInaccessible() throws Exception {
        Machine machine = Machine.create(config(Architecture.RISCV64, 2, 64 * MIB));
        CountDownLatch halted = new CountDownLatch(2);
        for (Cpu cpu : machine.cpus()) {
            cpu.setInterruptEntry((c, cause) -> { });
            cpu.start(() -> {
                cpu.enableInterrupts();
                halted.countDown();
                while (true) {
                    cpu.waitForInterrupt();
                }
            });
        }
        assertTrue(halted.await(10, TimeUnit.SECONDS));
        machine.close();
        assertThrows(IllegalStateException.class, () -> machine.memory().segment().get(ValueLayout.JAVA_BYTE, 0));
        machine.close();
    }

    @Test
    void cpusStoppedByTheirEntryStartAgainAndCloseStillStopsThem() throws Exception {
        Machine machine = Machine.create(config(Architecture.X86_64, 2, 64 * MIB));
        AtomicBoolean stop = new AtomicBoolean();
        for (int run = 0; run < 2; run++) {
            CountDownLatch halted = new CountDownLatch(2);
            stop.set(false);
            for (Cpu cpu : machine.cpus()) {
                cpu.setInterruptEntry((c, cause) -> { });
                cpu.start(() -> {
                    cpu.enableInterrupts();
                    halted.countDown();
                    while (!stop.get()) {
                        cpu.waitForInterrupt();
                    }
                });
            }
            assertTrue(halted.await(10, TimeUnit.SECONDS), "run " + run + ": the vCPUs did not halt");
            if (run == 0) {
                stop.set(true);
                machine.cpus().forEach(Cpu::wake);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (machine.cpus().stream().anyMatch(Cpu::running)) {
                    assertTrue(System.nanoTime() < deadline, "the vCPUs did not stop on wake-up");
                    Thread.sleep(1);
                }
            }
        }
        assertTrue(machine.cpus().stream().allMatch(Cpu::running), "started again");
        machine.close();
        assertTrue(machine.cpus().stream().noneMatch(Cpu::running), "close stops the second run");
        assertThrows(IllegalStateException.class, () -> machine.cpus().getFirst().start(() -> { }));
    }

    @Test
    void closeInterruptedWhileWaitingStillUnmapsRamAndKeepsTheInterrupt() throws Exception {
        Machine machine = Machine.create(config(Architecture.PPC64, 1, 64 * MIB));
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        machine.cpus().getFirst().start(() -> {
            spinning.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        });
        assertTrue(spinning.await(10, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        try {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, machine::close);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "close waited out its timeout");
            assertTrue(e.getMessage().startsWith("vcpu0 did not stop"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(IllegalStateException.class, () -> machine.memory().segment().get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            Thread.interrupted();
            release.set(true);
        }
    }

    @Test
    void closeNamesACpuThatReachesNoSafepoint() throws Exception {
        Machine machine = Machine.create(config(Architecture.X86_64, 2, 64 * MIB));
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        machine.cpus().get(1).start(() -> {
            spinning.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        });
        assertTrue(spinning.await(10, TimeUnit.SECONDS));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, machine::close);
            assertEquals("vcpu1 did not stop within 2 s of power-off: the code on it reached no safepoint "
                    + "(waitForInterrupt or pollInterrupts)", e.getMessage());
            assertThrows(IllegalStateException.class, () -> machine.memory().segment().get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            release.set(true);
        }
    }
}

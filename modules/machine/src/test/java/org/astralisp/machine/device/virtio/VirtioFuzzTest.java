package org.astralisp.machine.device.virtio;

import static org.astralisp.machine.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.device.RecordingLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random registers and random ring contents: the transport answers with
 * machine checks (bad accesses) or DEVICE_NEEDS_RESET (bad rings) and nothing
 * else, never hangs, never fails as a model, and works again after a reset.
 */
class VirtioFuzzTest {

    private static final long RAM_BASE = 0x8000_0000L;
    private static final long NANOS_PER_RUN = Duration.ofMillis(1000).toNanos();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 0x5eed})
    void randomDriversGetOnlyDocumentedAnswers(long seed) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (SharedMemory memory = new SharedMemory(RAM_BASE, 4L << 20);
                    VirtioWorker worker = new VirtioWorker("virtio-fuzz")) {
                RecordingLine line = new RecordingLine();
                VirtioMmioTransport transport = new VirtioMmioTransport("virtio-mmio0",
                        new EntropyDevice(new SecureRandom()), memory, line, worker);
                SystemBus bus = new SystemBus(new PhysicalRange(RAM_BASE, 4L << 20));
                bus.attach(0x1000_1000L, transport);
                RegisterFuzzer fuzzer = new RegisterFuzzer(bus.map(0x1000_1000L, SIZE), memory, new Random(seed));
                fuzzer.run(NANOS_PER_RUN, 200_000);

                assertTrue(fuzzer.machineChecks > 0, "seed " + seed + ": bad accesses were tried");
                assertEquals(0, transport.modelFailures(), "seed " + seed + ": " + transport.lastError());
                VirtioDriver driver = new VirtioDriver(bus.map(0x1000_1000L, SIZE), memory);
                driver.write(INTERRUPT_ACK, 3);
                driver.initialize(F_VERSION_1, 8);
                driver.submitWritable(32);
                driver.notifyQueue();
                assertEquals(32, driver.awaitUsed(Duration.ofSeconds(10)).length(),
                        "seed " + seed + ": served after a reset");
                boolean pending = driver.read(INTERRUPT_STATUS) != 0;
                assertEquals(pending, line.asserted(), "line level = InterruptStatus != 0");
                assertTrue(worker.close(Duration.ofSeconds(5)), "seed " + seed + ": the worker stops");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aFuzzedMachineStillPowersOff(Architecture arch) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Machine machine = Machine.create(new MachineConfig(arch, 1, 16L << 20, ""));
            try {
                long slot = VirtioOnEachMachineTest.slots(machine).getFirst().base();
                RegisterFuzzer fuzzer = new RegisterFuzzer(machine.mmio().map(slot, SIZE), machine.memory(),
                        new Random(arch.ordinal()));
                fuzzer.run(NANOS_PER_RUN / 3, 100_000);
                assertTrue(fuzzer.operations > 100, arch + ": only " + fuzzer.operations + " operations");
            } finally {
                machine.close();
            }
            assertTrue(VirtioOnEachMachineTest.workerEnds(), arch + ": the worker ended");
        });
    }
}

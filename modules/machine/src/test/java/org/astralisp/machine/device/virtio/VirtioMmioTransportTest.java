package org.astralisp.machine.device.virtio;

import static org.astralisp.machine.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.bus.SystemBus;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.device.RecordingLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The virtio-mmio transport with the entropy device, driven through its
 * registers on a system bus and rings in RAM, as an OS driver drives it
 * (virtio 1.2 §4.2, §3.1, §2.7, §5.4).
 */
class VirtioMmioTransportTest {

    private static final long RAM_BASE = 0x8000_0000L;
    private static final long RAM_SIZE = 8L << 20;
    private static final long SLOT = 0x1000_1000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MODERN = F_VERSION_1;
    private static final long ALL = F_VERSION_1 | F_INDIRECT_DESC | F_EVENT_IDX;

    private SharedMemory memory;
    private VirtioWorker worker;
    private RecordingLine line;
    private VirtioMmioTransport transport;
    private SystemBus bus;
    private VirtioDriver driver;

    @BeforeEach
    void attach() {
        memory = new SharedMemory(RAM_BASE, RAM_SIZE);
        worker = new VirtioWorker("virtio-test");
        line = new RecordingLine();
        bus = new SystemBus(new PhysicalRange(RAM_BASE, RAM_SIZE));
        transport = attach(new EntropyDevice(new SecureRandom()), SLOT);
        driver = new VirtioDriver(bus.map(SLOT, SIZE), memory);
    }

    private VirtioMmioTransport attach(VirtioDevice device, long base) {
        VirtioMmioTransport t = new VirtioMmioTransport("virtio-mmio0", device, memory, line, worker);
        bus.attach(base, t);
        return t;
    }

    @AfterEach
    void detach() {
        worker.close();
        memory.close();
    }

    private void assertNeedsReset(String reason) throws InterruptedException {
        driver.awaitStatus(DEVICE_NEEDS_RESET, TIMEOUT);
        String error = transport.lastError();
        assertTrue(error != null && error.contains(reason), "expected an error about \"" + reason + "\", got " + error);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- identification and registers (§4.2.2) ----

    @Test
    void identifiesAsAModernEntropyDevice() {
        assertEquals(MAGIC, driver.read(MAGIC_VALUE));
        assertEquals(0x74726976, driver.read(MAGIC_VALUE), "\"virt\"");
        assertEquals(2, driver.read(VERSION_REGISTER));
        assertEquals(4, driver.read(DEVICE_ID));
        assertEquals(VENDOR, driver.read(VENDOR_ID));
        assertEquals(256, driver.read(QUEUE_NUM_MAX));
        assertEquals(ALL, driver.deviceFeatures(), "VERSION_1, INDIRECT_DESC and EVENT_IDX; rng has no bits of its own");
        driver.write(DEVICE_FEATURES_SEL, 2);
        assertEquals(0, driver.read(DEVICE_FEATURES), "no feature bits above 63");
        assertEquals(0, driver.read(CONFIG_GENERATION));
        assertEquals(0, driver.status());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
    }

    @Test
    void sharedMemoryRegionsDoNotExist() {
        driver.write(SHM_SEL, 0);
        for (int register : new int[] {SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH}) {
            assertEquals(-1, driver.read(register), "§4.2.2: length and base -1 for a region that does not exist");
        }
    }

    @Test
    void aQueueTheDeviceDoesNotHaveHasNoEntries() {
        driver.write(QUEUE_SEL, 1);
        assertEquals(0, driver.read(QUEUE_NUM_MAX));
        driver.write(QUEUE_NUM, 4);
        driver.write(QUEUE_READY, 1);
        assertEquals(0, driver.read(QUEUE_READY));
        driver.write(QUEUE_NOTIFY, 1);
        driver.write(QUEUE_NOTIFY, 0xFFFF_FFFF);
        assertEquals(0, driver.status() & DEVICE_NEEDS_RESET);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void registersTakeOnlyAlignedWords(int width) {
        Mmio window = driver.regs;
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> {
            switch (width) {
                case 1 -> window.read8(STATUS);
                case 2 -> window.read16(STATUS);
                default -> window.read64(QUEUE_DESC_LOW);
            }
        });
        assertTrue(e.getMessage().contains("aligned 32-bit words"), e.getMessage());
        assertThrows(MachineCheckException.class, () -> transport.write(STATUS + 1, 4, 1), "unaligned");
    }

    @Test
    void writeOnlyRegistersCannotBeRead() {
        for (int register : new int[] {DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM,
                QUEUE_NOTIFY, INTERRUPT_ACK, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH, SHM_SEL}) {
            MachineCheckException e = assertThrows(MachineCheckException.class, () -> driver.read(register));
            assertTrue(e.getMessage().contains("is write-only"), e.getMessage());
        }
    }

    @Test
    void readOnlyRegistersCannotBeWritten() {
        for (int register : new int[] {MAGIC_VALUE, VERSION_REGISTER, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES,
                QUEUE_NUM_MAX, INTERRUPT_STATUS, SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH,
                CONFIG_GENERATION}) {
            MachineCheckException e = assertThrows(MachineCheckException.class, () -> driver.write(register, 1));
            assertTrue(e.getMessage().contains("is read-only"), e.getMessage());
        }
        assertEquals(4, driver.read(DEVICE_ID), "unchanged");
    }

    @Test
    void offsetsThatAreNoRegisterAreMachineChecks() {
        for (int offset : new int[] {0x018, 0x028, 0x03C, 0x040, 0x048, 0x054, 0x0A8, 0x0C4, 0x0F8}) {
            MachineCheckException e = assertThrows(MachineCheckException.class, () -> driver.read(offset));
            assertTrue(e.getMessage().contains("no register there"), e.getMessage());
            assertThrows(MachineCheckException.class, () -> driver.write(offset, 0));
        }
        MachineCheckException reset = assertThrows(MachineCheckException.class, () -> driver.write(QUEUE_RESET, 1));
        assertTrue(reset.getMessage().contains("VIRTIO_F_RING_RESET"), reset.getMessage());
    }

    @Test
    void theEntropyDeviceHasNoConfigurationSpace() {
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> driver.regs.read8(CONFIG));
        assertTrue(e.getMessage().contains("virtio-rng has no device-specific configuration space"), e.getMessage());
        assertThrows(MachineCheckException.class, () -> driver.write(0xFFC, 0));
    }

    // ---- initialization and features (§3.1.1, §2.2) ----

    @Test
    void theFullInitializationSequenceReachesDriverOk() {
        driver.initialize(MODERN, 8);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK, driver.status());
        assertEquals(1, driver.read(QUEUE_READY));
    }

    @Test
    void featuresWithoutVersion1AreRefused() {
        assertFalse(driver.negotiate(0), "legacy driver");
        assertEquals(ACKNOWLEDGE | DRIVER, driver.status(), "FEATURES_OK left clear for the driver to read back");
        assertFalse(driver.negotiate(F_INDIRECT_DESC | F_EVENT_IDX));
        assertTrue(driver.negotiate(MODERN));
    }

    @Test
    void featuresTheDeviceDidNotOfferAreRefused() {
        assertFalse(driver.negotiate(MODERN | (1L << 40)), "VIRTIO_F_RING_RESET, not offered");
        driver.write(STATUS, 0);
        driver.addStatus(ACKNOWLEDGE | DRIVER);
        driver.writeDriverFeatures(MODERN);
        driver.write(DRIVER_FEATURES_SEL, 2);
        driver.write(DRIVER_FEATURES, 1);
        driver.addStatus(FEATURES_OK);
        assertEquals(0, driver.status() & FEATURES_OK, "a bit above 63 was accepted");
    }

    @Test
    void driverOkAfterARefusedFeaturesOkNeedsReset() throws InterruptedException {
        driver.write(STATUS, ACKNOWLEDGE | DRIVER);
        driver.writeDriverFeatures(0);
        driver.write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertNeedsReset("DRIVER_OK set without FEATURES_OK");
        assertEquals(0, driver.read(INTERRUPT_STATUS), "no notification before DRIVER_OK (§2.1.2)");
        assertFalse(line.asserted());
    }

    @Test
    void stepsOfTheSequenceCannotBeSkipped() throws InterruptedException {
        driver.write(STATUS, DRIVER);
        assertNeedsReset("DRIVER set without ACKNOWLEDGE");
        driver.write(STATUS, 0);
        driver.write(STATUS, ACKNOWLEDGE | FEATURES_OK);
        assertNeedsReset("FEATURES_OK set without DRIVER");
    }

    @Test
    void clearingAStatusBitNeedsReset() throws InterruptedException {
        driver.write(STATUS, ACKNOWLEDGE | DRIVER);
        driver.write(STATUS, ACKNOWLEDGE);
        assertNeedsReset("clears bits 0x2");
        driver.write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        assertEquals(ACKNOWLEDGE | DRIVER | DEVICE_NEEDS_RESET, driver.status(), "only FAILED is taken now");
        driver.write(STATUS, ACKNOWLEDGE | DRIVER | FAILED);
        assertEquals(ACKNOWLEDGE | DRIVER | DEVICE_NEEDS_RESET | FAILED, driver.status());
    }

    @Test
    void featuresCannotChangeAfterFeaturesOk() throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.writeDriverFeatures(MODERN | F_INDIRECT_DESC);
        driver.setUpQueue(8);
        driver.addStatus(DRIVER_OK);
        long table = driver.buffer(32, (byte) 0);
        driver.descriptor(table, 0, driver.buffer(8, (byte) 0), 8, Virtqueue.DESC_F_WRITE, 0);
        driver.descriptor(driver.descriptors, 0, table, 16, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("without VIRTIO_F_INDIRECT_DESC negotiated");
    }

    @Test
    void resetReturnsTheDeviceToItsInitialState() throws InterruptedException {
        driver.initialize(ALL, 8);
        driver.submitWritable(16);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertTrue(line.asserted());
        driver.write(QUEUE_SEL, 3);
        driver.write(DEVICE_FEATURES_SEL, 1);

        driver.write(STATUS, 0);

        assertEquals(0, driver.status());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
        assertFalse(line.asserted(), "line lowered by the reset");
        assertEquals(256, driver.read(QUEUE_NUM_MAX), "QueueSel back to 0");
        assertEquals(0, driver.read(QUEUE_READY));
        assertEquals((int) ALL, driver.read(DEVICE_FEATURES), "DeviceFeaturesSel back to 0");
        driver.addStatus(ACKNOWLEDGE | DRIVER | FEATURES_OK);
        assertEquals(0, driver.status() & FEATURES_OK, "accepted features cleared: VERSION_1 no longer accepted");
        driver.initialize(MODERN, 4);
        driver.submitWritable(16);
        driver.notifyQueue();
        assertEquals(16, driver.awaitUsed(TIMEOUT).length(), "served again after re-initialization");
    }

    @Test
    void resetClearsDeviceNeedsReset() throws InterruptedException {
        driver.write(STATUS, DRIVER);
        assertNeedsReset("without ACKNOWLEDGE");
        driver.write(STATUS, 0);
        assertEquals(0, driver.status());
    }

    // ---- the entropy device (§5.4) ----

    @Test
    void fillsEachBufferWithDistinctRandomBytes() throws InterruptedException {
        driver.initialize(MODERN, 16);
        int[] heads = new int[4];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = driver.submitWritable(64);
        }
        driver.notifyQueue();
        Set<String> seen = new HashSet<>();
        for (int head : heads) {
            VirtioDriver.Used used = driver.awaitUsed(TIMEOUT);
            assertEquals(head, used.id(), "used in order, id = head (§2.7.8)");
            assertEquals(64, used.length(), "used length = buffer length");
            byte[] bytes = driver.bytes(driver.descriptorAddress(head), 64);
            assertFalse(allZero(bytes), "filled");
            assertTrue(seen.add(Arrays.toString(bytes)), "distinct");
        }
    }

    @Test
    void fillsEveryWritableBufferOfAChain() throws InterruptedException {
        driver.initialize(MODERN, 8);
        int head = driver.submitWritable(16, 32, 8);
        driver.notifyQueue();
        VirtioDriver.Used used = driver.awaitUsed(TIMEOUT);
        assertEquals(head, used.id());
        assertEquals(56, used.length());
        assertFalse(allZero(driver.bytes(driver.descriptorAddress(head + 1), 32)));
        assertFalse(allZero(driver.bytes(driver.descriptorAddress(head + 2), 8)));
    }

    @Test
    void aRequestGetsAtMost64KiB() throws InterruptedException {
        driver.initialize(MODERN, 8);
        int head = driver.submitWritable(100_000);
        driver.notifyQueue();
        assertEquals(EntropyDevice.MAX_BYTES_PER_REQUEST, driver.awaitUsed(TIMEOUT).length(), "§5.4.6.2: fewer bytes");
        long buffer = driver.descriptorAddress(head);
        assertFalse(allZero(driver.bytes(buffer + 65_536 - 16, 16)));
        assertTrue(allZero(driver.bytes(buffer + 65_536, 100_000 - 65_536)), "nothing written past the used length");
    }

    @Test
    void deviceReadableBuffersAreLeftAlone() throws InterruptedException {
        driver.initialize(MODERN, 8);
        long readable = driver.buffer(16, (byte) 0x5A);
        long writable = driver.buffer(16, (byte) 0);
        driver.descriptor(driver.descriptors, 0, readable, 16, Virtqueue.DESC_F_NEXT, 1);
        driver.descriptor(driver.descriptors, 1, writable, 16, Virtqueue.DESC_F_WRITE, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertEquals(16, driver.awaitUsed(TIMEOUT).length());
        byte[] expected = new byte[16];
        Arrays.fill(expected, (byte) 0x5A);
        assertArrayEquals(expected, driver.bytes(readable, 16));
    }

    @Test
    void indirectDescriptorTablesAreServed() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        long table = driver.buffer(48, (byte) 0);
        long first = driver.buffer(24, (byte) 0);
        long second = driver.buffer(40, (byte) 0);
        driver.descriptor(table, 0, first, 24, Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 2);
        driver.descriptor(table, 2, second, 40, Virtqueue.DESC_F_WRITE, 0);
        // §2.7.5.3.2: the device ignores the write flag of the descriptor naming the table.
        driver.descriptor(driver.descriptors, 5, table, 48, Virtqueue.DESC_F_INDIRECT | Virtqueue.DESC_F_WRITE, 0);
        driver.publish(5);
        driver.notifyQueue();
        VirtioDriver.Used used = driver.awaitUsed(TIMEOUT);
        assertEquals(5, used.id());
        assertEquals(64, used.length());
        assertFalse(allZero(driver.bytes(second, 40)));
    }

    @Test
    void aChainMayEndInAnIndirectTable() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        long table = driver.buffer(16, (byte) 0);
        driver.descriptor(table, 0, driver.buffer(8, (byte) 0), 8, Virtqueue.DESC_F_WRITE, 0);
        driver.descriptor(driver.descriptors, 0, driver.buffer(8, (byte) 0), 8,
                Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 1);
        driver.descriptor(driver.descriptors, 1, table, 16, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertEquals(16, driver.awaitUsed(TIMEOUT).length());
    }

    @Test
    void buffersMadeAvailableBeforeDriverOkAreServedAtDriverOk() throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.setUpQueue(8);
        driver.submitWritable(32);
        driver.notifyQueue();
        Thread.sleep(20);
        assertEquals(0, driver.usedIdx(), "§2.1.2: nothing consumed before DRIVER_OK");
        driver.addStatus(DRIVER_OK);
        assertEquals(32, driver.awaitUsed(TIMEOUT).length());
    }

    @Test
    void aQueueMadeReadyAfterDriverOkServesWhatIsAlreadyAvailable() throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.addStatus(DRIVER_OK);
        driver.setUpQueue(8);
        driver.write(QUEUE_READY, 0);
        driver.submitWritable(8);
        driver.write(QUEUE_READY, 1);
        assertEquals(8, driver.awaitUsed(TIMEOUT).length());
    }

    @Test
    void aFailedDeviceServesNothing() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.addStatus(FAILED);
        driver.submitWritable(8);
        driver.notifyQueue();
        Thread.sleep(20);
        assertEquals(0, driver.usedIdx());
    }

    @Test
    void queueRegistersAreIgnoredWhileTheQueueIsReady() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.write(QUEUE_NUM, 3);
        driver.writeAddress(QUEUE_DESC_LOW, 0);
        driver.writeAddress(QUEUE_DRIVER_LOW, 0);
        driver.writeAddress(QUEUE_DEVICE_LOW, 0);
        driver.write(QUEUE_READY, 1);
        driver.submitWritable(8);
        driver.notifyQueue();
        assertEquals(8, driver.awaitUsed(TIMEOUT).length());
        assertEquals(0, driver.status() & DEVICE_NEEDS_RESET);
    }

    // ---- notifications (§4.2.3.4, §2.7.7) ----

    @Test
    void aUsedBufferRaisesTheLineUntilAcknowledged() throws InterruptedException {
        driver.initialize(MODERN, 8);
        assertFalse(line.asserted());
        driver.submitWritable(8);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertTrue(line.asserted());
        assertEquals(USED_BUFFER_NOTIFICATION, driver.read(INTERRUPT_STATUS));
        driver.write(INTERRUPT_ACK, CONFIGURATION_CHANGE_NOTIFICATION);
        assertTrue(line.asserted(), "acknowledging another bit leaves it");
        driver.write(INTERRUPT_ACK, USED_BUFFER_NOTIFICATION);
        assertFalse(line.asserted());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
        driver.submitWritable(8);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertTrue(line.asserted());
        assertEquals(2, line.raises());
    }

    @Test
    void noInterruptFlagSuppressesTheNotification() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.setAvailFlags(Virtqueue.AVAIL_F_NO_INTERRUPT);
        driver.submitWritable(8);
        driver.notifyQueue();
        assertEquals(8, driver.awaitUsed(TIMEOUT).length());
        assertEquals(0, driver.read(INTERRUPT_STATUS));
        assertFalse(line.asserted());
    }

    @Test
    void withEventIdxTheDeviceNotifiesWhenUsedIdxPassesUsedEvent() throws InterruptedException {
        driver.initialize(MODERN | F_EVENT_IDX, 8);
        driver.setAvailFlags(Virtqueue.AVAIL_F_NO_INTERRUPT);
        driver.setUsedEvent(1);
        driver.submitWritable(8);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertFalse(line.asserted(), "used idx 1 does not pass used_event 1; the flag is ignored with EVENT_IDX");
        driver.awaitAvailEvent(1, TIMEOUT);
        driver.submitWritable(8);
        driver.notifyQueue();
        driver.awaitUsed(TIMEOUT);
        assertTrue(line.asserted(), "used idx 2 passes used_event 1");
        driver.awaitAvailEvent(2, TIMEOUT);
    }

    @Test
    void anErrorAfterDriverOkSendsAConfigurationChangeNotification() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.publish(8);
        driver.notifyQueue();
        assertNeedsReset("head 8 is not below the queue size 8");
        assertEquals(CONFIGURATION_CHANGE_NOTIFICATION, driver.read(INTERRUPT_STATUS));
        assertTrue(line.asserted());
        driver.submitWritable(8);
        driver.notifyQueue();
        Thread.sleep(20);
        assertEquals(0, driver.usedIdx(), "a device needing reset serves nothing");
        driver.write(INTERRUPT_ACK, CONFIGURATION_CHANGE_NOTIFICATION);
        assertFalse(line.asserted());
    }

    // ---- malicious or broken rings (§2.7, §4.2.3.2): DEVICE_NEEDS_RESET, never a hang ----

    @Test
    void aDescriptorLoopNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 4);
        for (int i = 0; i < 4; i++) {
            driver.descriptor(driver.descriptors, i, driver.buffer(8, (byte) 0), 8,
                    Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, (i + 1) % 4);
        }
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("more than 4 descriptors");
        assertEquals(0, driver.usedIdx());
    }

    @Test
    void aDescriptorChainedToItselfNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 256);
        driver.descriptor(driver.descriptors, 7, driver.buffer(8, (byte) 0), 8,
                Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 7);
        driver.publish(7);
        driver.notifyQueue();
        assertNeedsReset("a loop or a chain longer than the queue size");
    }

    @Test
    void aBufferOutsideRamNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.descriptor(driver.descriptors, 0, RAM_BASE + RAM_SIZE - 8, 64, Virtqueue.DESC_F_WRITE, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("is not all RAM");
    }

    @Test
    void aBufferAddressThatWrapsNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.descriptor(driver.descriptors, 0, -16, 64, Virtqueue.DESC_F_WRITE, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("at 0xfffffffffffffff0");
    }

    @Test
    void aNextIndexBeyondTheQueueNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.descriptor(driver.descriptors, 0, driver.buffer(8, (byte) 0), 8,
                Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 8);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("continues at 8, beyond the 8 of the queue");
    }

    @Test
    void anAvailIndexMoreThanAQueueAheadNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.setAvailIdx(9);
        driver.notifyQueue();
        assertNeedsReset("9 entries ahead");
    }

    @Test
    void aReadableBufferAfterAWritableOneNeedsReset() throws InterruptedException {
        driver.initialize(MODERN, 8);
        driver.descriptor(driver.descriptors, 0, driver.buffer(8, (byte) 0), 8,
                Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 1);
        driver.descriptor(driver.descriptors, 1, driver.buffer(8, (byte) 0), 8, 0, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("device-readable descriptor 1 after a device-writable one");
    }

    @Test
    void anIndirectTableInsideAnIndirectTableNeedsReset() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        long inner = driver.buffer(16, (byte) 0);
        long outer = driver.buffer(16, (byte) 0);
        driver.descriptor(outer, 0, inner, 16, Virtqueue.DESC_F_INDIRECT, 0);
        driver.descriptor(driver.descriptors, 0, outer, 16, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("inside an indirect table");
    }

    @Test
    void anIndirectDescriptorWithNextNeedsReset() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        driver.descriptor(driver.descriptors, 0, driver.buffer(16, (byte) 0), 16,
                Virtqueue.DESC_F_INDIRECT | Virtqueue.DESC_F_NEXT, 1);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("both VIRTQ_DESC_F_INDIRECT and VIRTQ_DESC_F_NEXT");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 24})
    void anIndirectTableThatIsNotWholeDescriptorsNeedsReset(int length) throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        driver.descriptor(driver.descriptors, 0, driver.buffer(32, (byte) 0), length, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("an indirect table of " + length + " bytes");
    }

    @Test
    void aLoopInAnIndirectTableNeedsReset() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        long table = driver.buffer(32, (byte) 0);
        driver.descriptor(table, 0, driver.buffer(8, (byte) 0), 8, Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 1);
        driver.descriptor(table, 1, driver.buffer(8, (byte) 0), 8, Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, 0);
        driver.descriptor(driver.descriptors, 0, table, 32, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("more than 2 descriptors in its indirect table");
    }

    @Test
    void anIndirectTableOutsideRamNeedsReset() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        driver.descriptor(driver.descriptors, 0, RAM_BASE - 0x1000, 64, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("indirect table at 0x7ffff000");
    }

    @Test
    void aChainOf4GiBOrMoreNeedsReset() throws InterruptedException {
        driver.initialize(MODERN | F_INDIRECT_DESC, 8);
        int entries = 600;
        long table = driver.buffer(16 * entries, (byte) 0);
        for (int i = 0; i < entries; i++) {
            driver.descriptor(table, i, RAM_BASE, RAM_SIZE, Virtqueue.DESC_F_WRITE | Virtqueue.DESC_F_NEXT, i + 1);
        }
        driver.descriptor(driver.descriptors, 0, table, 16L * entries, Virtqueue.DESC_F_INDIRECT, 0);
        driver.publish(0);
        driver.notifyQueue();
        assertNeedsReset("2^32 or more");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 12, 512, 65536})
    void aQueueSizeThatIsNotAPowerOfTwoUpToQueueNumMaxNeedsReset(int size) throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.setUpQueue(8);
        driver.write(QUEUE_READY, 0);
        driver.write(QUEUE_NUM, size);
        driver.write(QUEUE_READY, 1);
        assertNeedsReset("QueueNum " + size + ", not a power of two from 1 to QueueNumMax 256");
        assertEquals(0, driver.read(QUEUE_READY));
    }

    @Test
    void queueReadyWithUnsetAddressesNeedsReset() throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.write(QUEUE_SEL, 0);
        driver.write(QUEUE_NUM, 8);
        driver.writeAddress(QUEUE_DESC_LOW, RAM_BASE + 0x1000);
        driver.write(QUEUE_DRIVER_HIGH, 0);
        driver.write(QUEUE_READY, 1);
        assertNeedsReset("not all written since reset");
        assertEquals(0, driver.read(QUEUE_READY));
    }

    @ParameterizedTest
    @ValueSource(ints = {QUEUE_DESC_LOW, QUEUE_DRIVER_LOW, QUEUE_DEVICE_LOW})
    void aRingOutsideRamNeedsReset(int register) throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.setUpQueue(8);
        driver.write(QUEUE_READY, 0);
        driver.writeAddress(register, RAM_BASE + RAM_SIZE - 16);
        driver.write(QUEUE_READY, 1);
        assertNeedsReset("not all RAM");
    }

    @ParameterizedTest
    @ValueSource(ints = {QUEUE_DESC_LOW, QUEUE_DRIVER_LOW, QUEUE_DEVICE_LOW})
    void aMisalignedRingNeedsReset(int register) throws InterruptedException {
        assertTrue(driver.negotiate(MODERN));
        driver.setUpQueue(8);
        driver.write(QUEUE_READY, 0);
        driver.writeAddress(register, RAM_BASE + 0x1001);
        driver.write(QUEUE_READY, 1);
        assertNeedsReset("not aligned");
    }

    // ---- concurrency with the worker ----

    /** A device whose requests wait for the test to let them go. */
    private static final class GatedDevice implements VirtioDevice {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final int replyLength;

        GatedDevice(int replyLength) {
            this.replyLength = replyLength;
        }

        @Override
        public int deviceId() {
            return 4;
        }

        @Override
        public String kind() {
            return "gated";
        }

        @Override
        public long features() {
            return 0;
        }

        @Override
        public int queues() {
            return 1;
        }

        @Override
        public int queueSizeMax() {
            return 8;
        }

        @Override
        public byte[] serve(int queue, DescriptorChain chain) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] reply = new byte[replyLength];
            Arrays.fill(reply, (byte) 0x77);
            return reply;
        }
    }

    @Test
    void aRequestInServiceDuringAResetIsDropped() throws InterruptedException {
        GatedDevice gated = new GatedDevice(8);
        VirtioMmioTransport gatedTransport = attach(gated, SLOT + 0x1000);
        VirtioDriver gatedDriver = new VirtioDriver(bus.map(SLOT + 0x1000, SIZE), memory);
        gatedDriver.initialize(MODERN, 8);
        int head = gatedDriver.submitWritable(8);
        gatedDriver.notifyQueue();
        assertTrue(gated.entered.await(10, TimeUnit.SECONDS));
        gatedDriver.write(STATUS, 0);
        gated.release.countDown();
        Thread.sleep(20);
        assertEquals(0, gatedDriver.usedIdx(), "nothing returned after the reset");
        assertTrue(allZero(gatedDriver.bytes(gatedDriver.descriptorAddress(head), 8)), "nothing written");
        assertNull(gatedTransport.lastError());
    }

    @Test
    void aDeviceModelReplyLargerThanTheBuffersIsAModelFailure() throws InterruptedException {
        GatedDevice oversized = new GatedDevice(9);
        oversized.release.countDown();
        transport = attach(oversized, SLOT + 0x1000);
        driver = new VirtioDriver(bus.map(SLOT + 0x1000, SIZE), memory);
        driver.initialize(MODERN, 8);
        driver.submitWritable(8);
        driver.notifyQueue();
        assertNeedsReset("device model failure");
        assertEquals(1, transport.modelFailures());
    }

    @Test
    void notificationsAfterTheWorkerClosedAreDiscarded() throws InterruptedException {
        driver.initialize(MODERN, 8);
        assertTrue(worker.close(Duration.ofSeconds(1)));
        driver.submitWritable(8);
        driver.notifyQueue();
        Thread.sleep(20);
        assertEquals(0, driver.usedIdx());
        assertEquals(0, driver.status() & DEVICE_NEEDS_RESET);
    }

    @Test
    void anIdleWorkerUsesNoCpu() throws InterruptedException {
        VirtioWorker idle = new VirtioWorker("virtio-idle-test");
        try {
            transport = new VirtioMmioTransport("virtio-mmio1", new EntropyDevice(new SecureRandom()), memory, line,
                    idle);
            bus.attach(SLOT + 0x1000, transport);
            driver = new VirtioDriver(bus.map(SLOT + 0x1000, SIZE), memory);
            driver.initialize(MODERN, 8);
            driver.submitWritable(64);
            driver.notifyQueue();
            driver.awaitUsed(TIMEOUT);
            Thread thread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("virtio-idle-test")).findFirst()
                    .orElseThrow(() -> new AssertionError("no worker thread"));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getThreadCpuTime(thread.threadId());
            Thread.sleep(500);
            long used = threads.getThreadCpuTime(thread.threadId()) - before;
            assertTrue(used < 5_000_000, "idle worker used " + used + " ns of CPU in 500 ms");
            assertNotEquals(Thread.State.RUNNABLE, thread.getState(), "parked, not spinning");
        } finally {
            idle.close();
        }
    }

    @Test
    void anEmptySlotIsDeviceIdZeroWithNoQueues() {
        VirtioMmioTransport empty = VirtioMmioTransport.emptySlot("virtio-mmio7", memory, line, worker);
        bus.attach(SLOT + 0x7000, empty);
        VirtioDriver probe = new VirtioDriver(bus.map(SLOT + 0x7000, SIZE), memory);
        assertEquals(MAGIC, probe.read(MAGIC_VALUE));
        assertEquals(2, probe.read(VERSION_REGISTER));
        assertEquals(0, probe.read(DEVICE_ID), "§4.2.3.1.1: drivers ignore device ID 0");
        assertEquals(0, probe.read(QUEUE_NUM_MAX));
        probe.write(QUEUE_READY, 1);
        probe.write(QUEUE_NOTIFY, 0);
        assertEquals(0, probe.read(QUEUE_READY));
        assertEquals("virtio-mmio7 (empty slot)", empty.toString());
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> probe.read(CONFIG));
        assertTrue(e.getMessage().contains("empty slot has no device-specific configuration space"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new AbsentDevice().serve(0, null));
    }
}

package org.astralisp.machine.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.astralisp.machine.bus.PhysicalRange;
import org.junit.jupiter.api.Test;

class GuestRamTest {

    private static final long MIB = 1L << 20;
    private static final long BASE = 0x8000_0000L;

    @Test
    void anUntouchedGuestCostsLittleResidentMemoryUntilItsPagesAreTouched() throws IOException {
        GuestRam.map(new PhysicalRange(BASE, MIB)).close(); // loads the FFM machinery, which is not guest RAM
        long before = residentBytes();
        try (GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 512 * MIB))) {
            long mapped = residentBytes();
            assertTrue(mapped - before < 2 * MIB,
                    "mapping 512 MiB raised RSS by " + (mapped - before) / 1024 + " KiB");
            int pages = 16384;
            for (long page = 0; page < pages; page++) {
                ram.segment().set(ValueLayout.JAVA_BYTE, page * 4096, (byte) 1);
            }
            long touched = residentBytes();
            assertTrue(touched - mapped >= pages * 4096L * 95 / 100,
                    "touching 64 MiB raised RSS by only " + (touched - mapped) / 1024 + " KiB");
        }
    }

    @Test
    void untouchedRamReadsAsZero() {
        try (GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 64 * MIB))) {
            assertEquals(0L, ram.segment().get(ValueLayout.JAVA_LONG, 63 * MIB));
        }
    }

    @Test
    void offsetInTheSegmentIsGuestPhysicalAddressMinusBase() {
        try (GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 64 * MIB))) {
            assertEquals(BASE, ram.base());
            assertEquals(64 * MIB, ram.size());
            assertEquals(64 * MIB, ram.segment().byteSize());
            ram.segment().set(ValueLayout.JAVA_INT_UNALIGNED, 0x1234, 0xCAFEBABE);
            MemorySegment slice = ram.slice(BASE + 0x1234, 4);
            assertEquals(4, slice.byteSize());
            assertEquals(0xCAFEBABE, slice.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        }
    }

    @Test
    void slicesTheLastByteAndAnEmptyRangeAtTheEnd() {
        try (GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 64 * MIB))) {
            assertEquals(1, ram.slice(BASE + 64 * MIB - 1, 1).byteSize());
            assertEquals(0, ram.slice(BASE + 64 * MIB, 0).byteSize());
        }
    }

    @Test
    void refusesSlicesThatAreNotAllRam() {
        try (GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 64 * MIB))) {
            long end = BASE + 64 * MIB;
            assertThrows(IllegalArgumentException.class, () -> ram.slice(BASE - 1, 2));
            assertThrows(IllegalArgumentException.class, () -> ram.slice(end - 4, 5));
            assertThrows(IllegalArgumentException.class, () -> ram.slice(end, 1));
            assertThrows(IllegalArgumentException.class, () -> ram.slice(BASE, -1));
            assertThrows(IllegalArgumentException.class, () -> ram.slice(BASE + 8, Long.MAX_VALUE));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ram.slice(0x1000, 0x10));
            assertEquals("guest-physical [0x1000, +0x10) is not all RAM (RAM is [0x80000000, 0x84000000))",
                    e.getMessage());
        }
    }

    @Test
    void refusesMoreThanTheHostsPhysicalMemory() {
        long host = HostMemory.physicalMemory();
        HostMemoryException e = assertThrows(HostMemoryException.class,
                () -> GuestRam.map(new PhysicalRange(0, host + 4096)));
        assertEquals("guest RAM of " + (host + 4096) + " bytes is more than the host's " + host
                + " bytes of physical memory", e.getMessage());
    }

    @Test
    void reportsTheErrnoWhenTheHostRefusesTheMapping() {
        HostMemoryException e = assertThrows(HostMemoryException.class,
                () -> GuestRam.map(new PhysicalRange(0, 1L << 62), Long.MAX_VALUE));
        assertEquals("cannot map 4611686018427387904 bytes of guest RAM: mmap failed with errno 12"
                + " (Cannot allocate memory)", e.getMessage());
    }

    @Test
    void ramIsInaccessibleAfterCloseOnEveryThread() throws Exception {
        GuestRam ram = GuestRam.map(new PhysicalRange(BASE, 64 * MIB));
        MemorySegment segment = ram.segment();
        ram.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        Throwable[] seen = new Throwable[1];
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                segment.get(ValueLayout.JAVA_BYTE, 0);
            } catch (Throwable t) {
                seen[0] = t;
            }
        });
        other.join();
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
    }

    /** VmRSS of this process, from /proc/self/status (proc(5)). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}

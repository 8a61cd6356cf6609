package org.astralisp.machine.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SystemBusTest {

    private static final PhysicalRange RAM = new PhysicalRange(0x8000_0000L, 0x1000_0000L);

    /** A register file of 8-byte cells that records each access; refuses 2-byte accesses from offset 0x80. */
    private static final class RegisterFile implements MmioDevice {
        final String name;
        final long size;
        final long[] cells;
        final List<String> log = new ArrayList<>();

        RegisterFile(String name, long size) {
            this.name = name;
            this.size = size;
            this.cells = new long[(int) (size / 8)];
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long read(long offset, int width) {
            refuseHalfwords(offset, width);
            log.add("read " + width + " @" + Long.toHexString(offset));
            long value = cells[(int) (offset / 8)] >>> (8 * (offset % 8));
            return width == 8 ? value : value & ((1L << (8 * width)) - 1);
        }

        @Override
        public void write(long offset, int width, long value) {
            refuseHalfwords(offset, width);
            log.add("write " + width + " @" + Long.toHexString(offset) + " = " + Long.toHexString(value));
            int shift = (int) (8 * (offset % 8));
            long mask = (width == 8 ? -1L : (1L << (8 * width)) - 1) << shift;
            int cell = (int) (offset / 8);
            cells[cell] = (cells[cell] & ~mask) | ((value << shift) & mask);
        }

        private void refuseHalfwords(long offset, int width) {
            if (width == 2 && offset >= 0x80) {
                throw new MachineCheckException(name + " has no 16-bit registers above 0x80");
            }
        }
    }

    private SystemBus bus;
    private RegisterFile uart;
    private RegisterFile plic;

    @BeforeEach
    void attachTwoDevices() {
        bus = new SystemBus(RAM);
        uart = new RegisterFile("uart0", 0x100);
        plic = new RegisterFile("plic", 0x1000);
        bus.attach(0x1000_0000L, uart);
        bus.attach(0x0C00_0000L, plic);
    }

    @Test
    void aWindowRoutesEachAccessToItsDeviceAtTheDeviceOffset() {
        Mmio window = bus.map(0x1000_0010L, 0x20);
        assertEquals(0x1000_0010L, window.base());
        assertEquals(0x20, window.size());
        window.write32(0x8, 0xDEADBEEF);
        assertEquals(0xDEADBEEF, window.read32(0x8));
        assertEquals(List.of("write 4 @18 = deadbeef", "read 4 @18"), uart.log);
        assertTrue(plic.log.isEmpty());
    }

    @Test
    void accessesOfEachWidthReachTheDeviceZeroExtendedAndMasked() {
        Mmio window = bus.map(0x1000_0000L, 0x100);
        window.write64(0x0, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, window.read64(0x0));
        assertEquals(0x5566_7788, window.read32(0x0));
        assertEquals(0x88, window.read8(0x0));
        window.write8(0x1, 0xFFAB);
        assertEquals(0x1122_3344_5566_AB88L, window.read64(0x0));
        window.write32(0x4, -1);
        assertEquals(0xFFFF_FFFF_5566_AB88L, window.read64(0x0));
        window.write16(0x2, 0x1_CDEF);
        assertEquals(0xCDEF, window.read16(0x2));
        assertEquals(0xFFFF_FFFF_CDEF_AB88L, window.read64(0x0));
        assertEquals("write 1 @1 = ab", uart.log.get(4));
        assertEquals("write 2 @2 = cdef", uart.log.get(8));
    }

    @Test
    void findsEachDeviceWhateverOrderTheyWereAttachedIn() {
        RegisterFile clint = new RegisterFile("clint", 0x1_0000);
        RegisterFile rtc = new RegisterFile("rtc", 0x1000);
        bus.attach(0x0200_0000L, clint);
        bus.attach(0x0010_1000L, rtc);
        bus.map(0x0010_1000L, 8).write8(0, 1);
        bus.map(0x0200_FFF8L, 8).write8(0, 2);
        bus.map(0x0C00_0FF8L, 8).write8(0, 3);
        bus.map(0x1000_00F8L, 8).write8(0, 4);
        assertEquals(List.of("write 1 @0 = 1"), rtc.log);
        assertEquals(List.of("write 1 @fff8 = 2"), clint.log);
        assertEquals(List.of("write 1 @ff8 = 3"), plic.log);
        assertEquals(List.of("write 1 @f8 = 4"), uart.log);
    }

    @Test
    void refusesADeviceOverlappingAnother() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.attach(0x1000_00F0L, new RegisterFile("virtio0", 0x1000)));
        assertEquals("cannot attach virtio0 at [0x100000f0, 0x100010f0): overlaps uart0 at [0x10000000, 0x10000100)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.attach(0x0BFF_F000L, new RegisterFile("big", 0x10_0000)));
        assertThrows(IllegalArgumentException.class, () -> bus.attach(0x0C00_0800L, new RegisterFile("inner", 0x8)));
    }

    @Test
    void attachesADeviceRightAfterAnother() {
        RegisterFile next = new RegisterFile("virtio0", 0x1000);
        bus.attach(0x1000_0100L, next);
        bus.map(0x1000_0100L, 8).write8(0, 1);
        assertEquals(1, next.log.size());
    }

    @Test
    void refusesADeviceOverlappingRam() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.attach(0x7FFF_F000L, new RegisterFile("shadow", 0x2000)));
        assertEquals("cannot attach shadow at [0x7ffff000, 0x80001000): overlaps RAM [0x80000000, 0x90000000)",
                e.getMessage());
    }

    @Test
    void refusesADeviceOfNoSize() {
        assertThrows(IllegalArgumentException.class, () -> bus.attach(0x2000_0000L, new RegisterFile("empty", 0)));
    }

    @Test
    void mappingAnAddressNoDeviceDecodesIsAMachineCheck() {
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> bus.map(0x2000_0000L, 4));
        assertEquals("cannot map 0x20000000: no device decodes that address", e.getMessage());
        assertThrows(MachineCheckException.class, () -> bus.map(0x0FFF_FFFCL, 8));
    }

    @Test
    void mappingPastTheEndOfADeviceIsAMachineCheck() {
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> bus.map(0x1000_0000L, 0x1000));
        assertEquals("cannot map 0x10000000 with length 0x1000: runs past uart0 at [0x10000000, 0x10000100)",
                e.getMessage());
    }

    @Test
    void mappingRamOrNothingIsAMachineCheck() {
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> bus.map(0x8000_1000L, 0x1000));
        assertEquals("cannot map 0x80001000: it is RAM [0x80000000, 0x90000000), not a device", e.getMessage());
        assertThrows(MachineCheckException.class, () -> bus.map(0x1000_0000L, 0));
    }

    @Test
    void anAccessOutsideTheWindowIsABusErrorNamingAddressWidthAndDirection() {
        Mmio window = bus.map(0x1000_0000L, 0x10);
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> window.read32(0x10));
        assertEquals("bus error: 4-byte read at 0x10000010 (uart0 + 0x10): outside the window "
                + "[0x10000000, 0x10000010)", e.getMessage());
        MachineCheckException w = assertThrows(MachineCheckException.class, () -> window.write64(0xC, 0));
        assertTrue(w.getMessage().startsWith("bus error: 8-byte write at 0x1000000c"), w.getMessage());
        assertThrows(MachineCheckException.class, () -> window.read8(-1));
        assertTrue(uart.log.isEmpty(), "no access reached the device");
    }

    @Test
    void aMisalignedAccessIsABusError() {
        Mmio window = bus.map(0x1000_0000L, 0x100);
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> window.write32(0x6, 1));
        assertEquals("bus error: 4-byte write at 0x10000006 (uart0 + 0x6): not aligned to 4 bytes", e.getMessage());
        assertTrue(uart.log.isEmpty());
    }

    @Test
    void aWidthTheDeviceRefusesIsABusErrorNamingTheAddress() {
        Mmio window = bus.map(0x1000_0080L, 0x80);
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> window.read16(0x2));
        assertEquals("bus error: 2-byte read at 0x10000082 (uart0 + 0x82): uart0 has no 16-bit registers above 0x80",
                e.getMessage());
        MachineCheckException w = assertThrows(MachineCheckException.class, () -> window.write16(0x2, 7));
        assertTrue(w.getMessage().startsWith("bus error: 2-byte write at 0x10000082"), w.getMessage());
    }

    @Test
    void physicalRangesRefuseWrapAroundAndEmptiness() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalRange(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalRange(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalRange(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MAX_VALUE, new PhysicalRange(Long.MAX_VALUE - 1, 1).end());
    }

    @Test
    void anApertureRefusesFixedDevicesAndOverlapsAndDecodesOnlyInside() {
        SystemBus.Aperture aperture = bus.reserveAperture(new PhysicalRange(0x4000_0000L, 0x100_0000L), "pci");
        assertEquals("pci [0x40000000, 0x41000000)", aperture.toString());
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> bus.attach(0x4000_0000L, new RegisterFile("virtio0", 0x1000)));
        assertEquals("cannot attach virtio0 at [0x40000000, 0x40001000): overlaps the aperture pci at "
                + "[0x40000000, 0x41000000)", fixed.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> bus.reserveAperture(new PhysicalRange(0x40FF_F000L, 0x2000), "other"));
        assertThrows(IllegalArgumentException.class,
                () -> bus.reserveAperture(new PhysicalRange(0x1000_0000L, 0x1000), "other"));
        assertThrows(IllegalArgumentException.class,
                () -> bus.reserveAperture(new PhysicalRange(0x8000_0000L, 0x1000), "other"));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> aperture.decode(0x40FF_F000L, new RegisterFile("bar", 0x2000)));
        assertEquals("cannot decode bar at [0x40fff000, 0x41001000): outside the aperture pci at "
                + "[0x40000000, 0x41000000)", outside.getMessage());
        aperture.decode(0x4000_0000L, new RegisterFile("bar0", 0x1000));
        assertThrows(IllegalArgumentException.class, () -> aperture.decode(0x4000_0800L, new RegisterFile("bar1", 0x1000)));
        assertEquals(new PhysicalRange(0x4000_0000L, 0x100_0000L), aperture.range());
    }

    @Test
    void aRemovedDecoderSilencesItsWindowsAndFreesItsRange() {
        SystemBus.Aperture aperture = bus.reserveAperture(new PhysicalRange(0x4000_0000L, 0x100_0000L), "pci");
        RegisterFile bar = new RegisterFile("bar0", 0x1000);
        SystemBus.Decoder decoder = aperture.decode(0x4000_0000L, bar);
        Mmio window = bus.map(0x4000_0000L, 0x1000);
        window.write32(0, 7);
        assertEquals(7, window.read32(0));
        decoder.remove();
        decoder.remove();
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> window.read32(0));
        assertEquals("bus error: 4-byte read at 0x40000000 (bar0 + 0x0): no longer decoded there: the BAR moved or "
                + "memory decoding is off", e.getMessage());
        assertThrows(MachineCheckException.class, () -> window.write32(0, 1));
        assertThrows(MachineCheckException.class, () -> bus.map(0x4000_0000L, 0x1000));
        aperture.decode(0x4000_0800L, new RegisterFile("bar1", 0x1000));
        assertEquals(2, bar.log.size(), "only the accesses before removal reached the device");
    }
}

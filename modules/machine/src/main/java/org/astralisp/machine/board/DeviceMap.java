package org.astralisp.machine.board;

import java.util.Objects;
import java.util.stream.IntStream;
import org.astralisp.machine.bus.PhysicalRange;

/**
 * Where a board puts the devices every board has, and which interrupt lines
 * they drive: the part of a board that is only data (docs/machine.md, memory
 * maps). {@link Board} answers its device accessors from it.
 *
 * @param virtioMmioBase the first virtio-mmio slot; slot i is {@code stride * i} above it
 * @param virtioMmioSize each slot's register window
 * @param virtioMmioInterrupts the line of each slot, {@link Board#VIRTIO_MMIO_SLOTS} of them
 * @param pcieMemory32BusAddress the PCI bus address of the 32-bit window's first byte
 * @param pciFirstInterrupt the line of INTA after the host bridge's swizzle; INTB..INTD follow it
 */
record DeviceMap(PhysicalRange uart, int uartInterrupt, PhysicalRange rtc, int rtcInterrupt,
        long virtioMmioBase, long virtioMmioStride, long virtioMmioSize, int[] virtioMmioInterrupts,
        PhysicalRange pcieEcam, PhysicalRange pcieMemory32, long pcieMemory32BusAddress, int pciFirstInterrupt) {

    DeviceMap {
        Objects.requireNonNull(uart, "uart");
        Objects.requireNonNull(rtc, "rtc");
        Objects.requireNonNull(pcieEcam, "pcieEcam");
        Objects.requireNonNull(pcieMemory32, "pcieMemory32");
        if (virtioMmioInterrupts.length != Board.VIRTIO_MMIO_SLOTS) {
            throw new IllegalArgumentException(virtioMmioInterrupts.length + " virtio-mmio lines for "
                    + Board.VIRTIO_MMIO_SLOTS + " slots");
        }
        virtioMmioInterrupts = virtioMmioInterrupts.clone();
    }

    /** The lines {@code first}, {@code first + 1}, … of consecutive slots. */
    static int[] consecutiveLines(int first) {
        return IntStream.range(first, first + Board.VIRTIO_MMIO_SLOTS).toArray();
    }

    PhysicalRange virtioMmio(int slot) {
        return new PhysicalRange(virtioMmioBase + virtioMmioStride * Objects.checkIndex(slot, Board.VIRTIO_MMIO_SLOTS),
                virtioMmioSize);
    }

    int virtioMmioInterrupt(int slot) {
        return virtioMmioInterrupts[Objects.checkIndex(slot, Board.VIRTIO_MMIO_SLOTS)];
    }

    int pciInterrupt(int pin) {
        return pciFirstInterrupt + Objects.checkIndex(pin, Board.PCI_INTX_PINS);
    }
}

package org.astralisp.machine.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.MmioSpace;

/**
 * The system bus: the guest-physical address space outside RAM, where device
 * register blocks are attached. A driver asks for a window with
 * {@link #map(long, long)}; the window is bound to the one device that decodes
 * it, so an access costs a bounds check and one call into the device, with no
 * lookup and no allocation.
 *
 * <p>Invariants: attached devices and RAM never overlap one another; the
 * attachment table is sorted by base address and replaced as a whole (copy on
 * write, published through a volatile field), so {@link #map(long, long)} from
 * any thread sees a consistent table without locking. Attaching is
 * synchronised and happens while the machine is built.
 *
 * <p>An {@link Aperture} is a range reserved for windows that come and go
 * while the machine runs: a PCI host bridge's memory window, inside which a
 * BAR decodes at whatever address the OS programs, and only while the
 * function's Memory Space Enable is set. Nothing fixed may be attached over
 * an aperture; inside it, decoders are added and removed through the
 * aperture, never overlapping one another. A window mapped onto a decoder that
 * has since been removed (the BAR moved, or decoding was switched off) does
 * not reach the device any more: each access is a bus error, as an access to
 * an address nothing decodes is on real hardware.
 */
public final class SystemBus implements MmioSpace {

    private record Attachment(PhysicalRange range, MmioDevice device) {
    }

    private static final Attachment[] NONE = new Attachment[0];

    private final PhysicalRange ram;
    private final List<Aperture> apertures = new ArrayList<>();
    private volatile Attachment[] attachments = NONE;

    /** A bus on which {@code ram} is RAM, where no device may be attached. */
    public SystemBus(PhysicalRange ram) {
        this.ram = Objects.requireNonNull(ram);
    }

    /**
     * Attaches {@code device} at guest-physical {@code base}; it decodes
     * {@code [base, base + device.size())}.
     *
     * @throws IllegalArgumentException naming both if the range overlaps RAM or
     *         a device already attached, or is not a valid range
     */
    public synchronized void attach(long base, MmioDevice device) {
        PhysicalRange range = new PhysicalRange(base, device.size());
        if (range.overlaps(ram)) {
            throw new IllegalArgumentException("cannot attach " + device.name() + " at " + range
                    + ": overlaps RAM " + ram);
        }
        for (Aperture aperture : apertures) {
            if (aperture.range.overlaps(range)) {
                throw new IllegalArgumentException("cannot attach " + device.name() + " at " + range
                        + ": overlaps the aperture " + aperture.name + " at " + aperture.range);
            }
        }
        add(range, device);
    }

    /**
     * Reserves {@code range} for windows that come and go ({@link Aperture}).
     *
     * @throws IllegalArgumentException naming both if the range overlaps RAM,
     *         an attached device or another aperture
     */
    public synchronized Aperture reserveAperture(PhysicalRange range, String name) {
        Objects.requireNonNull(name, "name");
        if (range.overlaps(ram)) {
            throw new IllegalArgumentException("cannot reserve the aperture " + name + " at " + range
                    + ": overlaps RAM " + ram);
        }
        for (Attachment a : attachments) {
            if (a.range.overlaps(range)) {
                throw new IllegalArgumentException("cannot reserve the aperture " + name + " at " + range
                        + ": overlaps " + a.device.name() + " at " + a.range);
            }
        }
        for (Aperture other : apertures) {
            if (other.range.overlaps(range)) {
                throw new IllegalArgumentException("cannot reserve the aperture " + name + " at " + range
                        + ": overlaps the aperture " + other.name + " at " + other.range);
            }
        }
        Aperture aperture = new Aperture(range, name);
        apertures.add(aperture);
        return aperture;
    }

    /** Adds {@code device} at {@code range} to the table, refusing an overlap with anything attached. */
    private void add(PhysicalRange range, MmioDevice device) {
        Attachment[] current = attachments;
        for (Attachment a : current) {
            if (a.range.overlaps(range)) {
                throw new IllegalArgumentException("cannot attach " + device.name() + " at " + range
                        + ": overlaps " + a.device.name() + " at " + a.range);
            }
        }
        Attachment[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new Attachment(range, device);
        Arrays.sort(next, (x, y) -> Long.compare(x.range.base(), y.range.base()));
        attachments = next;
    }

    private void remove(MmioDevice device) {
        Attachment[] current = attachments;
        attachments = Arrays.stream(current).filter(a -> a.device != device).toArray(Attachment[]::new);
    }

    /**
     * A reserved range of the bus in which decoders are added and removed at
     * run time. Methods synchronise on the bus, like {@link #attach}.
     */
    public final class Aperture {
        private final PhysicalRange range;
        private final String name;

        private Aperture(PhysicalRange range, String name) {
            this.range = range;
            this.name = name;
        }

        /** The CPU-side range the aperture reserves. */
        public PhysicalRange range() {
            return range;
        }

        /**
         * Decodes {@code [base, base + device.size())} with {@code device}
         * from now on, until {@link Decoder#remove()}.
         *
         * @throws IllegalArgumentException naming both if the range is not
         *         inside the aperture or overlaps another decoder
         */
        public Decoder decode(long base, MmioDevice device) {
            synchronized (SystemBus.this) {
                PhysicalRange at = new PhysicalRange(base, device.size());
                if (!range.contains(at.base(), at.size())) {
                    throw new IllegalArgumentException("cannot decode " + device.name() + " at " + at
                            + ": outside the aperture " + name + " at " + range);
                }
                Decoder decoder = new Decoder(device);
                add(at, decoder);
                return decoder;
            }
        }

        @Override
        public String toString() {
            return name + " " + range;
        }
    }

    /**
     * One device decoded inside an {@link Aperture}: what the bus table and
     * every window mapped onto it hold, so that removing it silences them all.
     */
    public final class Decoder implements MmioDevice {
        private final MmioDevice device;
        private volatile boolean decoding = true;

        private Decoder(MmioDevice device) {
            this.device = device;
        }

        /** Stops decoding: later accesses through windows mapped onto it are bus errors. Idempotent. */
        public void remove() {
            synchronized (SystemBus.this) {
                decoding = false;
                SystemBus.this.remove(this);
            }
        }

        @Override
        public String name() {
            return device.name();
        }

        @Override
        public long size() {
            return device.size();
        }

        @Override
        public long read(long offset, int width) {
            checkDecoding();
            return device.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            checkDecoding();
            device.write(offset, width, value);
        }

        private void checkDecoding() {
            if (!decoding) {
                throw new MachineCheckException("no longer decoded there: the BAR moved or memory decoding is off");
            }
        }
    }

    /**
     * A window onto the device that decodes all of
     * {@code [physical, physical + length)}.
     *
     * @throws MachineCheckException naming the range if it is RAM, decoded by
     *         no device, or runs past the end of the device that decodes its start
     */
    @Override
    public Mmio map(long physical, long length) {
        if (length <= 0) {
            throw new MachineCheckException("cannot map 0x" + Long.toHexString(physical) + " with length "
                    + length + ": a window has a positive length");
        }
        if (ram.contains(physical, 1)) {
            throw new MachineCheckException("cannot map 0x" + Long.toHexString(physical)
                    + ": it is RAM " + ram + ", not a device");
        }
        Attachment a = attachmentAt(physical);
        if (a == null) {
            throw new MachineCheckException("cannot map 0x" + Long.toHexString(physical)
                    + ": no device decodes that address");
        }
        if (!a.range.contains(physical, length)) {
            throw new MachineCheckException("cannot map 0x" + Long.toHexString(physical) + " with length 0x"
                    + Long.toHexString(length) + ": runs past " + a.device.name() + " at " + a.range);
        }
        return new MmioWindow(physical, length, a.device, physical - a.range.base());
    }

    /** The attachment whose range holds {@code physical}, or null: a binary search of the sorted table. */
    private Attachment attachmentAt(long physical) {
        Attachment[] table = attachments;
        int low = 0;
        int high = table.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            PhysicalRange range = table[middle].range;
            if (physical < range.base()) {
                high = middle - 1;
            } else if (physical >= range.end()) {
                low = middle + 1;
            } else {
                return table[middle];
            }
        }
        return null;
    }
}

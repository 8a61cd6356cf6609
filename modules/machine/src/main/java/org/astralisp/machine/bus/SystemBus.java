package org.astralisp.machine.bus;

import java.util.Arrays;
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
 */
public final class SystemBus implements MmioSpace {

    private record Attachment(PhysicalRange range, MmioDevice device) {
    }

    private static final Attachment[] NONE = new Attachment[0];

    private final PhysicalRange ram;
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

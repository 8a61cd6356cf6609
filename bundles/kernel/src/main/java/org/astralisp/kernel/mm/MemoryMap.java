package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.DeviceNode;
import org.astralisp.hal.api.devicetree.DevicePropertyException;
import org.astralisp.hal.api.devicetree.DeviceStatus;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.MemoryReservation;
import org.astralisp.kernel.api.mm.PhysicalRange;

/**
 * What the device tree says about physical memory, as the PMM takes it: the RAM ranges and the ranges
 * never to hand out.
 *
 * <ul>
 *   <li>RAM: the {@code reg} of every {@code device_type = "memory"} node (devicetree spec §3.4).</li>
 *   <li>Reserved: the memory reservation block (§5.3), then the {@code reg} of every enabled child of
 *       {@code /reserved-memory} (§3.5.2) — what a board keeps for itself (firmware, a framebuffer,
 *       shared memory). A child with only {@code size} (a dynamic reservation, §3.5.2) asks the OS to
 *       carve memory out at boot; no driver of these machines asks for one, so it is not honoured.</li>
 * </ul>
 *
 * <p>Zero-sized entries describe no memory and are left out. Overlaps and alignment are the
 * {@link MemoryLayout}'s to check; this record only collects.
 */
record MemoryMap(List<PhysicalRange> ram, List<PhysicalRange> reserved) {

    MemoryMap {
        ram = List.copyOf(ram);
        reserved = List.copyOf(reserved);
    }

    /**
     * Reads the map out of {@code tree}.
     *
     * @throws DevicePropertyException naming the node and property if a {@code reg} or {@code status}
     *     cannot be decoded
     */
    static MemoryMap of(DeviceTree tree) throws DevicePropertyException {
        List<PhysicalRange> ram = new ArrayList<>();
        for (AddressRange range : tree.memory()) {
            add(ram, range.address(), range.size());
        }
        List<PhysicalRange> reserved = new ArrayList<>();
        for (MemoryReservation reservation : tree.memoryReservations()) {
            add(reserved, reservation.address(), reservation.size());
        }
        Optional<DeviceNode> board = tree.node("/reserved-memory");
        for (DeviceNode region : board.map(DeviceNode::children).orElse(List.of())) {
            if (region.status() == DeviceStatus.OKAY && region.hasProperty("reg")) {
                for (AddressRange range : region.physicalReg()) {
                    add(reserved, range.address(), range.size());
                }
            }
        }
        return new MemoryMap(ram, reserved);
    }

    private static void add(List<PhysicalRange> ranges, long address, long size) {
        if (size != 0) {
            ranges.add(new PhysicalRange(address, size));
        }
    }
}

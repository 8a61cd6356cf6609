package org.astralisp.hal.api.pci;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.machine.devicetree.DeviceTreeNode;
import org.astralisp.machine.devicetree.FlattenedDeviceTreeWriter;

/**
 * A small device tree whose {@code pci-host-ecam-generic} node describes the
 * riscv64 machine's PCIe host (ECAM at 0x3000_0000, the 1 GiB window at
 * 0x4000_0000, PLIC-like controller with phandle 1), with properties of the
 * node replaced or removed, to test the enumerator on malformed nodes against
 * the real hardware.
 */
final class SyntheticPciTree {

    private final Map<String, int[]> pci = new LinkedHashMap<>();

    SyntheticPciTree() {
        pci.put("reg", new int[] {0, 0x3000_0000, 0, 0x1000_0000});
        pci.put("bus-range", new int[] {0, 0xff});
        pci.put("#address-cells", new int[] {3});
        pci.put("#size-cells", new int[] {2});
        pci.put("#interrupt-cells", new int[] {1});
        pci.put("ranges", new int[] {0x0200_0000, 0, 0x4000_0000, 0, 0x4000_0000, 0, 0x4000_0000});
        pci.put("interrupt-map-mask", new int[] {0x1800, 0, 0, 7});
        int[] map = new int[16 * 6];
        for (int device = 0; device < 4; device++) {
            for (int pin = 0; pin < 4; pin++) {
                int entry = (device * 4 + pin) * 6;
                map[entry] = device << 11;
                map[entry + 3] = pin + 1;
                map[entry + 4] = 1;
                map[entry + 5] = 32 + (device + pin) % 4;
            }
        }
        pci.put("interrupt-map", map);
    }

    SyntheticPciTree with(String property, int... cells) {
        pci.put(property, cells);
        return this;
    }

    SyntheticPciTree without(String property) {
        pci.remove(property);
        return this;
    }

    DeviceTree tree() throws Exception {
        DeviceTreeNode root = DeviceTreeNode.root().cells("#address-cells", 2).cells("#size-cells", 2);
        DeviceTreeNode soc = root.addChild("soc").cells("#address-cells", 2).cells("#size-cells", 2)
                .string("compatible", "simple-bus").flag("ranges");
        soc.addChild("interrupt-controller@c000000").cells("#address-cells", 0).cells("#interrupt-cells", 1)
                .flag("interrupt-controller").cells("phandle", 1);
        DeviceTreeNode node = soc.addChild("pci@30000000").string("compatible", "pci-host-ecam-generic");
        pci.forEach(node::cells);
        return FlattenedDeviceTree.parse(ByteBuffer.wrap(FlattenedDeviceTreeWriter.write(root, 0)));
    }
}

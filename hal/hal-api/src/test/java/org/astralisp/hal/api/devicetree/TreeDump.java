package org.astralisp.hal.api.devicetree;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Everything a parsed tree holds, as text: boot CPU, reservations, and every
 * node's path with its properties' names and values in hex, in blob order.
 * Two trees with equal dumps are equal as far as the model can tell.
 */
final class TreeDump {

    private TreeDump() {
    }

    static String of(DeviceTree tree) {
        StringBuilder dump = new StringBuilder("boot-cpu ").append(tree.bootCpuId()).append('\n');
        tree.memoryReservations().forEach(r -> dump.append("reserve ").append(r).append('\n'));
        for (DeviceNode node : tree.nodes()) {
            dump.append(node.path()).append('\n');
            for (DeviceProperty property : node.properties()) {
                ByteBuffer value = property.bytes();
                byte[] bytes = new byte[value.remaining()];
                value.get(bytes);
                dump.append("  ").append(property.name()).append(" = ").append(HexFormat.of().formatHex(bytes))
                        .append('\n');
            }
        }
        return dump.toString();
    }
}

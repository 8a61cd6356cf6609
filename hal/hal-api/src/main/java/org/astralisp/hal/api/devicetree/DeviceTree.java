package org.astralisp.hal.api.devicetree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed device tree (devicetree specification v0.4 §2): the root node, the
 * memory reservations of the blob, and indexes for the lookups drivers make —
 * by path (§2.2.3), by alias (§3.3), by {@code phandle} (§2.3.3) and by
 * {@code compatible} (§2.3.1).
 *
 * <p>Immutable: the whole node graph is built in the constructor and every
 * field is final, so a tree may be shared between threads without locking.
 * Instances come from {@link FlattenedDeviceTree#parse}.
 */
public final class DeviceTree {

    private final DeviceNode root;
    private final List<DeviceNode> nodes;
    private final Map<Integer, DeviceNode> byPhandle;
    private final List<MemoryReservation> memoryReservations;
    private final int bootCpuId;

    DeviceTree(ParsedNode root, List<MemoryReservation> memoryReservations, int bootCpuId) {
        this.root = new DeviceNode(this, null, root);
        this.memoryReservations = memoryReservations;
        this.bootCpuId = bootCpuId;
        List<DeviceNode> all = new ArrayList<>();
        Map<Integer, DeviceNode> phandles = new HashMap<>();
        Deque<DeviceNode> pending = new ArrayDeque<>(List.of(this.root));
        while (!pending.isEmpty()) {
            DeviceNode node = pending.pop();
            all.add(node);
            node.phandle().ifPresent(phandle -> phandles.put(phandle, node));
            node.children().reversed().forEach(pending::push);
        }
        this.nodes = List.copyOf(all);
        this.byPhandle = Map.copyOf(phandles);
    }

    public DeviceNode root() {
        return root;
    }

    /** Every node, in the order of the blob (depth first, parents before children). */
    public List<DeviceNode> nodes() {
        return nodes;
    }

    /** §5.3: the reservations of the memory reservation block, in blob order. */
    public List<MemoryReservation> memoryReservations() {
        return memoryReservations;
    }

    /** §5.2 {@code boot_cpuid_phys}: the {@code reg} of the CPU node that boots. */
    public int bootCpuId() {
        return bootCpuId;
    }

    /**
     * The node at {@code path}. An absolute path names each node from the
     * root ({@code /soc/serial@10000000}); a component may leave out the unit
     * address when exactly one child has that node name (§2.2.3). A path
     * that does not start with {@code /} starts with an alias, a property of
     * {@code /aliases} whose value is an absolute path (§3.3):
     * {@code serial0} or {@code serial0/child}. A malformed path or an alias
     * whose value is not a single string finds nothing.
     */
    public Optional<DeviceNode> node(String path) {
        if (path.startsWith("/")) {
            return walk(root, path.substring(1));
        }
        int slash = path.indexOf('/');
        String alias = slash < 0 ? path : path.substring(0, slash);
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        Optional<DeviceNode> target = root.child("aliases")
                .flatMap(aliases -> aliases.findProperty(alias))
                .filter(DeviceProperty::isStringList)
                .map(DeviceProperty::splitStrings)
                .filter(strings -> strings.size() == 1 && strings.getFirst().startsWith("/"))
                .flatMap(strings -> walk(root, strings.getFirst().substring(1)));
        return rest.isEmpty() ? target : target.flatMap(node -> walk(node, rest));
    }

    /** The node whose {@code phandle} property is {@code phandle} (§2.3.3). */
    public Optional<DeviceNode> nodeByPhandle(int phandle) {
        return Optional.ofNullable(byPhandle.get(phandle));
    }

    /**
     * The nodes whose {@code compatible} list contains any of
     * {@code compatibles} (§2.3.1), in blob order. Matching is exact; a node
     * whose {@code compatible} is not a valid string list matches nothing.
     */
    public List<DeviceNode> findCompatible(String... compatibles) {
        Set<String> wanted = Set.of(compatibles);
        return nodes.stream().filter(node -> wanted.stream().anyMatch(node::isCompatible)).toList();
    }

    /**
     * The RAM of the machine: the {@code reg} of every node whose
     * {@code device_type} is {@code "memory"} (§3.4), translated to CPU
     * physical addresses, in blob order.
     */
    public List<AddressRange> memory() throws DevicePropertyException {
        List<AddressRange> ranges = new ArrayList<>();
        for (DeviceNode node : nodes) {
            Optional<DeviceProperty> type = node.findProperty("device_type");
            if (type.isPresent() && type.get().string().equals("memory")) {
                ranges.addAll(node.physicalReg());
            }
        }
        return List.copyOf(ranges);
    }

    private static Optional<DeviceNode> walk(DeviceNode from, String relativePath) {
        if (relativePath.isEmpty()) {
            return Optional.of(from);
        }
        DeviceNode node = from;
        for (String component : relativePath.split("/", -1)) {
            Optional<DeviceNode> child = node.child(component);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            node = child.get();
        }
        return Optional.of(node);
    }
}

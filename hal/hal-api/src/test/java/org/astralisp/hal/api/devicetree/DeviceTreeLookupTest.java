package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Finding nodes: paths (§2.2.3), aliases (§3.3), phandles (§2.3.3), compatible (§2.3.1), memory (§3.4). */
class DeviceTreeLookupTest {

    private static DeviceTree tree;

    @BeforeAll
    static void parse() throws Exception {
        tree = ReferenceBlobs.tree("riscv64-virt");
    }

    private static DeviceNode node(String path) {
        return tree.node(path).orElseThrow(() -> new AssertionError("no node " + path));
    }

    private static List<String> paths(List<DeviceNode> nodes) {
        return nodes.stream().map(DeviceNode::path).toList();
    }

    @Test
    void findsANodeByItsFullPath() {
        DeviceNode cpu = node("/cpus/cpu@1");
        assertEquals("cpu@1", cpu.name());
        assertEquals("cpu", cpu.baseName());
        assertEquals(Optional.of("1"), cpu.unitAddress());
        assertEquals("/cpus/cpu@1", cpu.path());
        assertEquals("/cpus/cpu@1", cpu.toString());
    }

    @Test
    void theRootIsSlashAndHasNoNameOrParent() {
        assertSame(tree.root(), node("/"));
        assertEquals("", tree.root().name());
        assertEquals(Optional.empty(), tree.root().parent());
        assertEquals(Optional.empty(), tree.root().unitAddress());
    }

    @Test
    void aComponentMayLeaveOutAUniqueUnitAddress() {
        assertSame(node("/soc/serial@10000000"), node("/soc/serial"));
        assertSame(node("/memory@80000000"), node("/memory"));
    }

    @Test
    void anAmbiguousComponentWithoutUnitAddressFindsNothing() {
        assertEquals(Optional.empty(), tree.node("/cpus/cpu"));
        assertEquals(Optional.empty(), tree.node("/soc/virtio_mmio"));
    }

    @Test
    void malformedOrUnknownPathsFindNothing() {
        assertEquals(Optional.empty(), tree.node("/cpus/"));
        assertEquals(Optional.empty(), tree.node("//cpus"));
        assertEquals(Optional.empty(), tree.node("/cpus/cpu@7"));
        assertEquals(Optional.empty(), tree.node("/cpus/cpu@"));
        assertEquals(Optional.empty(), tree.node(""));
    }

    @Test
    void childrenAndParentFollowTheBlob() {
        DeviceNode cpus = node("/cpus");
        assertEquals(List.of("cpu@0", "cpu@1"), cpus.children().stream().map(DeviceNode::name).toList());
        assertSame(cpus, node("/cpus/cpu@0").parent().orElseThrow());
        assertEquals(Optional.of(node("/cpus/cpu@0")), cpus.child("cpu@0"));
    }

    @Test
    void nodesListsEveryNodeParentsFirstInBlobOrder() {
        List<String> paths = paths(tree.nodes());
        assertEquals(List.of("/", "/chosen", "/memory@80000000", "/cpus", "/cpus/cpu@0",
                "/cpus/cpu@0/interrupt-controller", "/cpus/cpu@1", "/cpus/cpu@1/interrupt-controller", "/soc",
                "/soc/clint@2000000"), paths.subList(0, 10));
        assertEquals(16, paths.size());
    }

    @Test
    void anAliasMayBeFollowedByARelativePath() throws Exception {
        DeviceTree aliased = FlattenedDeviceTree.parse(new FdtWriter().beginNode("")
                .beginNode("aliases").strings("bus", "/soc").strings("bad", "soc").strings("two", "/a", "/b")
                .endNode().beginNode("soc").beginNode("uart@1").endNode().endNode().endNode().end().build());
        assertEquals("/soc/uart@1", aliased.node("bus/uart@1").orElseThrow().path());
        assertEquals("/soc", aliased.node("bus").orElseThrow().path());
        assertEquals(Optional.empty(), aliased.node("bus/none"));
        assertEquals(Optional.empty(), aliased.node("bad"));
        assertEquals(Optional.empty(), aliased.node("two"));
        assertEquals(Optional.empty(), aliased.node("missing"));
    }

    @Test
    void aliasesNeedAnAliasesNode() {
        assertEquals(Optional.empty(), tree.node("serial0"));
    }

    @Test
    void findsANodeByPhandle() {
        DeviceNode plic = node("/soc/interrupt-controller@c000000");
        int phandle = plic.phandle().orElseThrow();
        assertEquals(Optional.of(plic), tree.nodeByPhandle(phandle));
        assertEquals(Optional.empty(), tree.nodeByPhandle(0x7777));
        assertEquals(OptionalInt.empty(), node("/soc").phandle());
    }

    @Test
    void findsNodesByAnyOfTheirCompatibleStrings() {
        assertEquals(List.of("/soc/interrupt-controller@c000000"), paths(tree.findCompatible("riscv,plic0")));
        assertEquals(List.of("/soc/interrupt-controller@c000000"), paths(tree.findCompatible("sifive,plic-1.0.0")));
        assertEquals(List.of("/soc/virtio_mmio@10001000", "/soc/virtio_mmio@10002000"),
                paths(tree.findCompatible("virtio,mmio")));
        assertEquals(List.of("/soc/clint@2000000", "/soc/serial@10000000"),
                paths(tree.findCompatible("ns16550a", "riscv,clint0")));
        assertEquals(List.of(), tree.findCompatible("riscv,plic"));
    }

    @Test
    void compatibleListsTheBindingsMostSpecificFirst() throws Exception {
        assertEquals(List.of("sifive,clint0", "riscv,clint0"), node("/soc/clint@2000000").compatible());
        assertTrue(node("/soc/clint@2000000").isCompatible("riscv,clint0"));
        assertFalse(node("/soc/clint@2000000").isCompatible("riscv"));
        assertFalse(node("/soc").isCompatible("riscv"));
    }

    @Test
    void aMalformedCompatibleMatchesNothing() throws Exception {
        DeviceTree bad = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").beginNode("a")
                .property("compatible", new byte[] {'n', 's'}).endNode().endNode().end().build());
        assertEquals(List.of(), bad.findCompatible("ns"));
        DevicePropertyException e = assertThrows(DevicePropertyException.class,
                () -> bad.node("/a").orElseThrow().compatible());
        assertEquals("/a: compatible: value does not end with a NUL terminator", e.getMessage());
    }

    @Test
    void memoryIsTheRegOfEveryMemoryNode() throws Exception {
        assertEquals(List.of(new AddressRange(0x8000_0000L, 0x1000_0000L)), tree.memory());
        DeviceTree twoBanks = FlattenedDeviceTree.parse(new FdtWriter().beginNode("").cells("#address-cells", 2)
                .cells("#size-cells", 2)
                .beginNode("memory@0").strings("device_type", "memory").cells("reg", 0, 0, 0, 0x9f000, 0, 0x10_0000,
                        0, 0x1ff0_0000).endNode()
                .beginNode("memory@100000000").strings("device_type", "memory").cells("reg", 1, 0, 0, 0x1000_0000)
                .endNode()
                .beginNode("sram@0").strings("device_type", "sram").cells("reg", 2, 0, 0, 0x1000).endNode()
                .endNode().end().build());
        assertEquals(List.of(new AddressRange(0, 0x9f000), new AddressRange(0x10_0000, 0x1ff0_0000),
                new AddressRange(0x1_0000_0000L, 0x1000_0000L)), twoBanks.memory());
    }
}

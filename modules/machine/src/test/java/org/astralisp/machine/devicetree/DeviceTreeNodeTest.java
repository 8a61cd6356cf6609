package org.astralisp.machine.devicetree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTreeNodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpus", "cpu@0", "serial@10000000", "virtio_mmio@10001000", "PowerPC,POWER9@0",
        "interrupt-controller", "a+b.c_d-e,f@1,2"})
    void acceptsNodeNamesOfSection221(String name) {
        assertEquals(name, DeviceTreeNode.root().addChild(name).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0cpu", "cpu@", "@10", "cpu node", "cpu/0", "cpu@1@2", "abcdefghijabcdefghijabcdefghijab"})
    void refusesNodeNamesOutsideSection221(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceTreeNode.root().addChild(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "x=1", "abcdefghijabcdefghijabcdefghijab"})
    void refusesPropertyNamesOutsideSection2241(String name) {
        assertThrows(IllegalArgumentException.class, () -> DeviceTreeProperty.empty(name));
    }

    @Test
    void acceptsThePropertyNameCharactersNodeNamesLack() {
        assertEquals("ibm,ppc-interrupt-server#s", DeviceTreeProperty.empty("ibm,ppc-interrupt-server#s").name());
        assertEquals("#address-cells", DeviceTreeProperty.empty("#address-cells").name());
        assertEquals("what?", DeviceTreeProperty.empty("what?").name());
    }

    @Test
    void refusesTwoChildrenOfOneName() {
        DeviceTreeNode root = DeviceTreeNode.root();
        root.addChild("cpus");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> root.addChild("cpus"));
        assertEquals("node / already has a child cpus", e.getMessage());
    }

    @Test
    void refusesTwoPropertiesOfOneName() {
        DeviceTreeNode cpus = DeviceTreeNode.root().addChild("cpus").cells("reg", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpus.cells("reg", 2));
        assertEquals("node cpus already has a property reg", e.getMessage());
    }

    @Test
    void keepsPropertiesAndChildrenInTheOrderAdded() {
        DeviceTreeNode root = DeviceTreeNode.root().flag("z").flag("a");
        root.addChild("y");
        root.addChild("b");
        assertEquals(List.of("z", "a"), root.properties().stream().map(DeviceTreeProperty::name).toList());
        assertEquals(List.of("y", "b"), root.children().stream().map(DeviceTreeNode::name).toList());
    }

    @Test
    void encodesAStringListAsNulTerminatedStrings() {
        byte[] value = DeviceTreeProperty.strings("compatible", "sifive,plic-1.0.0", "riscv,plic0").value();
        assertArrayEquals("sifive,plic-1.0.0\0riscv,plic0\0".getBytes(StandardCharsets.US_ASCII), value);
    }

    @Test
    void refusesAStringWithNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceTreeProperty.strings("bootargs", "a\0b"));
        assertEquals("property bootargs: a string may not contain NUL: a?b", e.getMessage());
    }

    @Test
    void encodesCellsBigEndian() {
        assertArrayEquals(new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe},
                DeviceTreeProperty.cells("reg", 0x12345678, -2).value());
    }

    @Test
    void aPropertyValueCannotBeChangedFromOutside() {
        DeviceTreeProperty property = DeviceTreeProperty.cells("reg", 1);
        property.value()[3] = 9;
        assertArrayEquals(new byte[] {0, 0, 0, 1}, property.value());
    }

    @Test
    void encodesU64AsTwoCellsHighFirst() {
        assertArrayEquals(new int[] {0x6, 0x1000, 0, 0x100, 7},
                new PropEncodedArray().u64(0x6_0000_1000L, 0x100).u32(7).cells());
    }

    @Test
    void propEncodedArrayGrowsPastItsFirstCapacity() {
        PropEncodedArray cells = new PropEncodedArray();
        for (int i = 0; i < 100; i++) {
            cells.u32(i);
        }
        int[] values = cells.cells();
        assertEquals(100, values.length);
        assertEquals(99, values[99]);
    }
}

package org.astralisp.machine.devicetree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FlattenedDeviceTreeWriterTest {

    /** / { a = <1>; node@1 { b; a = "xy"; }; }; */
    private static DeviceTreeNode smallTree() {
        DeviceTreeNode root = DeviceTreeNode.root().cells("a", 1);
        root.addChild("node@1").flag("b").string("a", "xy");
        return root;
    }

    @Test
    void headerFollowsSpecSection52() {
        byte[] blob = FlattenedDeviceTreeWriter.write(smallTree(), 3);
        ByteBuffer header = ByteBuffer.wrap(blob);
        int[] expected = {
            0xd00dfeed, // magic
            136,        // totalsize: 40 header + 16 reservation terminator + 76 structure + 4 strings
            56,         // off_dt_struct
            132,        // off_dt_strings
            40,         // off_mem_rsvmap
            17,         // version
            16,         // last_comp_version
            3,          // boot_cpuid_phys
            4,          // size_dt_strings: "a\0b\0"
            76          // size_dt_struct
        };
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], header.getInt(i * 4), "header word " + i);
        }
        assertEquals(136, blob.length);
    }

    @Test
    void reservationBlockIsOnlyTheTerminatingEntry() {
        byte[] blob = FlattenedDeviceTreeWriter.write(smallTree(), 0);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(blob, 40, 56));
    }

    @Test
    void structureBlockIsTheTokensOfSection54WithFourByteAlignment() {
        byte[] blob = FlattenedDeviceTreeWriter.write(smallTree(), 0);
        ByteBuffer expected = ByteBuffer.allocate(76);
        expected.putInt(0x1).putInt(0);                                // FDT_BEGIN_NODE, "" padded
        expected.putInt(0x3).putInt(4).putInt(0).putInt(1);            // FDT_PROP len 4, nameoff 0 ("a"), <1>
        expected.putInt(0x1).put("node@1\0\0".getBytes(StandardCharsets.US_ASCII)); // name padded to 8
        expected.putInt(0x3).putInt(0).putInt(2);                      // FDT_PROP len 0, nameoff 2 ("b")
        expected.putInt(0x3).putInt(3).putInt(0).put(new byte[] {'x', 'y', 0, 0}); // "xy\0" padded
        expected.putInt(0x2);                                          // FDT_END_NODE node@1
        expected.putInt(0x2);                                          // FDT_END_NODE /
        expected.putInt(0x9);                                          // FDT_END
        assertArrayEquals(expected.array(), Arrays.copyOfRange(blob, 56, 132));
    }

    @Test
    void stringsBlockHoldsEachPropertyNameOnce() {
        byte[] blob = FlattenedDeviceTreeWriter.write(smallTree(), 0);
        assertArrayEquals("a\0b\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(blob, 132, 136));
    }

    @Test
    void readsBackAsTheTreeThatWasWritten() {
        DtbReader.Node root = DtbReader.read(FlattenedDeviceTreeWriter.write(smallTree(), 0));
        assertEquals("", root.name());
        assertEquals(1, root.cell("a"));
        DtbReader.Node node = root.at("node@1");
        assertEquals(0, node.bytes("b").length);
        assertEquals("xy", node.string("a"));
    }

    @Test
    void writesOnlyFromTheRoot() {
        DeviceTreeNode child = DeviceTreeNode.root().addChild("cpus");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlattenedDeviceTreeWriter.write(child, 0));
        assertEquals("a device tree is written from its root, not from cpus", e.getMessage());
    }
}

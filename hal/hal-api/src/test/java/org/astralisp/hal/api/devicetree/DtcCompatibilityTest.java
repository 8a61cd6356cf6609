package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser against the reference implementation: blobs that dtc compiles
 * from DTS at test time. Skipped where dtc is not installed; {@code .ci/run}
 * installs it, so CI always runs these.
 */
class DtcCompatibilityTest {

    @TempDir
    static Path directory;

    @BeforeAll
    static void requireDtc() {
        assumeTrue(Dtc.available(), "dtc is not installed (apt-get install device-tree-compiler)");
    }

    @Test
    void theCheckedInBlobsAreWhatDtcMakesOfTheirSources() throws Exception {
        for (String name : ReferenceBlobs.NAMES) {
            byte[] compiled = Dtc.compile(directory, ReferenceBlobs.source(name));
            assertEquals(TreeDump.of(FlattenedDeviceTree.parse(compiled)), TreeDump.of(ReferenceBlobs.tree(name)),
                    name);
        }
    }

    @Test
    void readsEveryValueEncodingDtsHas() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(Dtc.compile(directory, """
                /dts-v1/;
                /memreserve/ 0x10000000 0x4000;
                / {
                	#address-cells = <1>;
                	#size-cells = <1>;
                	cells = <0x1 0xdeadbeef>;
                	wide = /bits/ 64 <0x123456789abcdef0>;
                	narrow = /bits/ 8 <0x12 0x34>;
                	bytes = [00 ff 7f];
                	text = "hello", "world";
                	flag;
                	target: target@1000 {
                		reg = <0x1000 0x10>;
                	};
                	user {
                		ref = <&target>;
                		path = &target;
                	};
                };
                """));
        DeviceNode root = tree.root();
        assertArrayEquals(new int[] {1, 0xdead_beef}, root.property("cells").cells());
        assertEquals(0x1234_5678_9abc_def0L, root.property("wide").u64());
        assertEquals(0x1234, root.property("narrow").bytes().getShort());
        byte[] bytes = new byte[3];
        root.property("bytes").bytes().get(bytes);
        assertArrayEquals(new byte[] {0x00, (byte) 0xff, 0x7f}, bytes);
        assertEquals(List.of("hello", "world"), root.property("text").strings());
        assertTrue(root.property("flag").isEmpty());
        DeviceNode target = tree.node("/target@1000").orElseThrow();
        DeviceNode user = tree.node("/user").orElseThrow();
        assertSame(target, tree.nodeByPhandle(user.property("ref").u32()).orElseThrow());
        assertSame(target, tree.node(user.property("path").string()).orElseThrow());
        assertEquals(List.of(new AddressRange(0x1000, 0x10)), target.physicalReg());
        assertEquals(List.of(new MemoryReservation(0x1000_0000L, 0x4000)), tree.memoryReservations());
    }

    @Test
    void readsVersion16BlobsLikeVersion17() throws Exception {
        String source = ReferenceBlobs.source("riscv64-virt");
        byte[] version16 = Dtc.compile(directory, source, "-V", "16");
        assertEquals(16, FdtWriter.u32At(version16, FdtWriter.VERSION));
        assertEquals(TreeDump.of(ReferenceBlobs.tree("riscv64-virt")),
                TreeDump.of(FlattenedDeviceTree.parse(version16)));
    }

    @Test
    void readsBlobsThatDtcPaddedWithFreeSpace() throws Exception {
        byte[] padded = Dtc.compile(directory, ReferenceBlobs.source("x86_64-virt"), "-p", "4096");
        assertEquals(TreeDump.of(ReferenceBlobs.tree("x86_64-virt")), TreeDump.of(FlattenedDeviceTree.parse(padded)));
    }

    @Test
    void randomTreesCompiledByDtcParseToTheTreesTheyDescribe() throws Exception {
        Random random = new Random(3);
        for (int round = 0; round < 40; round++) {
            TreeSpec spec = TreeSpec.random(random, 4);
            List<MemoryReservation> reservations = round % 2 == 0 ? List.of()
                    : List.of(new MemoryReservation(0x1000L * round, 0x1000));
            String dts = spec.toDts(reservations);
            DeviceTree tree = FlattenedDeviceTree.parse(Dtc.compile(directory, dts));
            assertEquals(spec.dump(reservations, 0), TreeDump.of(tree), dts);
        }
    }
}

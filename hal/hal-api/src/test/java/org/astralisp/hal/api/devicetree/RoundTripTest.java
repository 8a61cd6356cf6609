package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests: a tree written by {@link FdtWriter} parses to exactly the
 * tree described, and {@code parse(serialize(tree))} is the same tree again.
 */
class RoundTripTest {

    @Test
    void serializingAParsedReferenceTreeAndParsingItGivesTheSameTree() throws Exception {
        for (String name : ReferenceBlobs.NAMES) {
            DeviceTree tree = ReferenceBlobs.tree(name);
            byte[] serialized = FdtWriter.serialize(tree);
            DeviceTree again = FlattenedDeviceTree.parse(serialized);
            assertEquals(TreeDump.of(tree), TreeDump.of(again), name);
            assertArrayEquals(serialized, FdtWriter.serialize(again), name);
            assertEquals(DeviceTreeListing.render(tree), DeviceTreeListing.render(again), name);
        }
    }

    @Test
    void randomTreesParseToWhatWasWrittenAndSurviveARoundTrip() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            TreeSpec spec = TreeSpec.random(random, 5);
            List<MemoryReservation> reservations = List.of(new MemoryReservation(random.nextLong() >>> 1, 1))
                    .subList(0, random.nextInt(2));
            int bootCpu = random.nextInt(8);
            FdtWriter writer = new FdtWriter().bootCpuId(bootCpu);
            reservations.forEach(r -> writer.reserve(r.address(), r.size()));
            spec.writeTo(writer);
            byte[] blob = writer.end().build();

            DeviceTree tree = FlattenedDeviceTree.parse(blob);
            assertEquals(spec.dump(reservations, bootCpu), TreeDump.of(tree));
            byte[] serialized = FdtWriter.serialize(tree);
            assertArrayEquals(blob, serialized);
            assertEquals(TreeDump.of(tree), TreeDump.of(FlattenedDeviceTree.parse(serialized)));
        }
    }
}

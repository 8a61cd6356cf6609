package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing: whatever the bytes, {@link FlattenedDeviceTree#parse} returns a
 * tree or throws {@link DeviceTreeFormatException}, within a time bound; and
 * whatever tree it returns, every accessor of the model returns a value or
 * throws {@link DevicePropertyException}. Any other exception fails the test
 * with the seed and input that caused it.
 */
class DeviceTreeFuzzTest {

    private static final int MUTATED_INPUTS = 30_000;
    private static final int TOKEN_STREAMS = 10_000;
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 8, 9, 16, 17, 18, 0x28, 0x7fff_ffff, 0x8000_0000,
        0xffff_fffc, 0xffff_ffff, 0xd00d_feed};
    /** Properties whose values the model decodes, for the token streams to fill with small numbers. */
    private static final List<String> PROPERTIES = List.of("#address-cells", "#size-cells", "#interrupt-cells",
            "reg", "ranges", "interrupts", "interrupt-map", "interrupt-map-mask", "interrupts-extended",
            "interrupt-parent", "phandle", "status");

    /** Counts and times one fuzz run: how many inputs, how many parsed, time in the parser and in all. */
    private static final class Run {
        private final String what;
        private final long seed;
        private final long start = System.nanoTime();
        private int inputs;
        private int parsed;
        private long parsing;

        Run(String what, long seed) {
            this.what = what;
            this.seed = seed;
        }

        /** Parses and, if the input was a tree, exercises the whole model. */
        void check(byte[] input) {
            DeviceTree tree = null;
            long before = System.nanoTime();
            try {
                tree = FlattenedDeviceTree.parse(input);
            } catch (DeviceTreeFormatException e) {
                assertTrue(e.getMessage().startsWith(String.format("offset 0x%x: ", e.offset())), e.getMessage());
                assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                fail(failure(input, e), e);
            }
            parsing += System.nanoTime() - before;
            inputs++;
            if (tree != null) {
                parsed++;
                try {
                    exercise(tree);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(failure(input, e), e);
                }
            }
        }

        private String failure(byte[] input, Throwable e) {
            return what + " seed " + seed + " input " + inputs + " (" + input.length + " bytes): " + e + "\n"
                    + HexFormat.of().formatHex(input);
        }

        void report() {
            long total = System.nanoTime() - start;
            System.out.printf("devicetree fuzz, %s: %d inputs (%d parsed, %d refused) in %d ms; "
                            + "%.0f inputs/s parsing alone, %.0f inputs/s with the model exercised%n", what, inputs,
                    parsed, inputs - parsed, total / 1_000_000, inputs / (parsing / 1e9), inputs / (total / 1e9));
        }
    }

    private interface Access {
        Object get() throws DevicePropertyException;
    }

    private static void access(Access access) {
        try {
            access.get();
        } catch (DevicePropertyException e) {
            assertTrue(e.getMessage().startsWith(e.nodePath() + ": " + e.property() + ": "), e.getMessage());
        }
    }

    private static void exercise(DeviceTree tree) {
        DeviceTreeListing.render(tree);
        access(tree::memory);
        for (DeviceNode node : tree.nodes()) {
            assertSame(node, tree.node(node.path()).orElseThrow());
            node.phandle().ifPresent(phandle -> assertSame(node, tree.nodeByPhandle(phandle).orElseThrow()));
            node.isCompatible("ns16550a");
            access(node::compatible);
            access(node::status);
            access(node::reg);
            access(node::physicalReg);
            access(node::ranges);
            access(node::interruptParent);
            access(node::interrupts);
            access(() -> node.translateToPhysical(BusAddress.of64(0x1000)));
            access(() -> mapZero(node));
            for (DeviceProperty property : node.properties()) {
                access(property::u32);
                access(property::u64);
                access(property::number);
                access(property::cells);
                access(property::string);
                access(property::strings);
                property.bytes();
            }
        }
    }

    private static InterruptSpecifier mapZero(DeviceNode node) throws DevicePropertyException {
        return node.mapInterrupt(BusAddress.of(new int[node.addressCells()]),
                Arrays.stream(new int[node.interruptCells()]).boxed().toList());
    }

    private static List<byte[]> seeds() throws DeviceTreeFormatException {
        List<byte[]> seeds = new ArrayList<>();
        ReferenceBlobs.NAMES.forEach(name -> seeds.add(ReferenceBlobs.bytes(name)));
        Random random = new Random(1);
        for (int i = 0; i < 4; i++) {
            FdtWriter writer = new FdtWriter().reserve(0x8000_0000L, 0x1000);
            TreeSpec.random(random, 3).writeTo(writer);
            seeds.add(writer.end().build());
        }
        for (byte[] seed : seeds) {
            FlattenedDeviceTree.parse(seed);
        }
        return seeds;
    }

    /** One of several damages, sometimes two at once. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] input = seed.clone();
        for (int rounds = 1 + random.nextInt(2); rounds > 0; rounds--) {
            input = switch (random.nextInt(7)) {
                case 0 -> flipBits(input, random);
                case 1 -> Arrays.copyOf(input, random.nextInt(input.length + 1));
                case 2 -> setU32(input, 4 * random.nextInt(10), random);
                case 3 -> setU32(input, random.nextInt(Math.max(1, input.length - 3)) & ~3, random);
                case 4 -> overwrite(input, random);
                case 5 -> splice(input, random);
                default -> Arrays.copyOf(input, input.length + random.nextInt(64));
            };
        }
        return input;
    }

    private static byte[] flipBits(byte[] input, Random random) {
        for (int flips = 1 + random.nextInt(8); flips > 0 && input.length > 0; flips--) {
            input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return input;
    }

    /** A header field or an aligned word of the blocks set to a boundary value, a token, or noise. */
    private static byte[] setU32(byte[] input, int offset, Random random) {
        if (offset + 4 > input.length) {
            return input;
        }
        int value = switch (random.nextInt(3)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> input.length + random.nextInt(17) - 8;
            default -> random.nextInt();
        };
        ByteBuffer.wrap(input).putInt(offset, value);
        return input;
    }

    private static byte[] overwrite(byte[] input, Random random) {
        if (input.length == 0) {
            return input;
        }
        int at = random.nextInt(input.length);
        byte[] noise = new byte[Math.min(input.length - at, 1 + random.nextInt(16))];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, input, at, noise.length);
        return input;
    }

    /** A run of the blob copied over another place in it: tokens and names where they do not belong. */
    private static byte[] splice(byte[] input, Random random) {
        if (input.length < 8) {
            return input;
        }
        int from = random.nextInt(input.length - 4) & ~3;
        int to = random.nextInt(input.length - 4) & ~3;
        int length = Math.min(input.length - Math.max(from, to), 4 * (1 + random.nextInt(8)));
        System.arraycopy(input.clone(), from, input, to, length);
        return input;
    }

    /**
     * A random sequence of structure-block tokens: mostly well nested, with
     * properties the model decodes (cell counts, reg, interrupts, phandles),
     * and now and then a stray token, a missing or extra FDT_END_NODE.
     */
    private static byte[] tokenStream(Random random) {
        FdtWriter writer = new FdtWriter().beginNode("");
        int depth = 1;
        boolean hasChildren = false;
        for (int steps = random.nextInt(40); steps > 0; steps--) {
            int choice = random.nextInt(20);
            if (choice < 4) {
                writer.beginNode("n" + random.nextInt(6) + (random.nextBoolean() ? "@" + random.nextInt(3) : ""));
                depth++;
                hasChildren = false;
            } else if (choice < 8 && depth > 1) {
                writer.endNode();
                depth--;
                hasChildren = true;
            } else if (choice < 16 && !hasChildren) {
                writer.cells(PROPERTIES.get(random.nextInt(PROPERTIES.size())), random.ints(random.nextInt(7), 0, 5)
                        .toArray());
            } else if (choice < 18) {
                writer.nop();
            } else if (choice == 18) {
                writer.property("interrupt-controller", new byte[0]);
            } else {
                writer.token(random.nextInt(12));
            }
        }
        for (int close = depth - (random.nextInt(8) == 0 ? 1 : 0); close > 0; close--) {
            writer.endNode();
        }
        return writer.end().build();
    }

    @Test
    void mutatedBlobsParseOrFailWithAFormatErrorInBoundedTime() throws Exception {
        List<byte[]> seeds = seeds();
        Random random = new Random(0xd00dfeedL);
        Run run = new Run("mutated blobs", 0xd00dfeedL);
        assertTimeoutPreemptively(BOUND, () -> {
            for (int i = 0; i < MUTATED_INPUTS; i++) {
                run.check(mutate(seeds.get(random.nextInt(seeds.size())), random));
            }
        });
        run.report();
        assertTrue(run.parsed > MUTATED_INPUTS / 20, "too few mutants parse to exercise the model: " + run.parsed);
        assertTrue(run.parsed < MUTATED_INPUTS * 19 / 20, "too few mutants are refused: " + run.parsed);
    }

    @Test
    void randomTokenStreamsParseOrFailWithAFormatErrorInBoundedTime() {
        Random random = new Random(0x5eedL);
        Run run = new Run("token streams", 0x5eedL);
        assertTimeoutPreemptively(BOUND, () -> {
            for (int i = 0; i < TOKEN_STREAMS; i++) {
                run.check(tokenStream(random));
            }
        });
        run.report();
        assertTrue(run.parsed > TOKEN_STREAMS / 10, "too few streams parse to exercise the model: " + run.parsed);
        assertTrue(run.parsed < TOKEN_STREAMS * 9 / 10, "too few streams are refused: " + run.parsed);
    }
}

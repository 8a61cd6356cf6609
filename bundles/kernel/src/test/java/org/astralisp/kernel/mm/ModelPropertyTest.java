package org.astralisp.kernel.mm;

import static org.astralisp.kernel.mm.Memory.GiB;
import static org.astralisp.kernel.mm.Memory.KiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.PAGE_64K;
import static org.astralisp.kernel.mm.Memory.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.astralisp.kernel.api.mm.InvalidFreeException;
import org.astralisp.kernel.api.mm.InvalidFreeException.Problem;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of allocations, DMA allocations, frees and bad frees (fixed
 * seed) checked step by step against {@link FrameModel}: the same outcome
 * (address fits, or the same zones fail, or the same problem), and after every
 * step statistics equal to the model's, block counts per order included.
 */
class ModelPropertyTest {

    private static final long SEED = 0x5EED_3L;

    record Layout(String name, int pageSize, List<PhysicalRange> ram, List<PhysicalRange> reserved, int steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Layout> layouts() {
        return Stream.of(
                new Layout("4 KiB frames, unaligned RAM across 4 GiB with reserved holes", PAGE_4K,
                        List.of(range(4 * GiB - 2 * MiB + 0x234, 4 * GiB + MiB + 0x800), range(4 * GiB + 2 * MiB, 4 * GiB + 3 * MiB)),
                        List.of(range(4 * GiB - MiB + 0x10, 4 * GiB - MiB + 0x2010),
                                range(4 * GiB + 2 * MiB + 512 * KiB, 4 * GiB + 2 * MiB + 516 * KiB),
                                range(0x1000, 0x2000)),
                        4000),
                new Layout("64 KiB frames, whole gibibytes either side of 4 GiB", PAGE_64K,
                        List.of(range(3 * GiB - 3 * 64 * KiB, 5 * GiB + 5 * 64 * KiB + 0x100)),
                        List.of(range(4 * GiB + 7 * 64 * KiB, 4 * GiB + 9 * 64 * KiB)),
                        1500));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void behavesLikeTheModel(Layout layout) {
        FrameAllocator pmm = new FrameAllocator(layout.pageSize(), layout.ram(), layout.reserved());
        FrameModel model = new FrameModel(layout.pageSize(), pmm.maxOrder(), layout.ram(), layout.reserved());
        Random random = new Random(SEED);
        Map<Problem, Integer> problems = new EnumMap<>(Problem.class);
        Map<MemoryZone, Integer> served = new EnumMap<>(MemoryZone.class);
        int outOfMemory = 0;
        assertEquals(model.statistics(), pmm.statistics(), "at the start");
        for (int step = 0; step < layout.steps(); step++) {
            int op = random.nextInt(100);
            String what;
            if (op < 30 || (op < 80 && model.held().isEmpty())) {
                int order = random.nextInt(random.nextInt(pmm.maxOrder() + 1) + 1);
                what = "allocate(%d)".formatted(order);
                MemoryZone zone = allocate(pmm, model, order, (long) layout.pageSize() << order, PhysicalMemoryManager.NO_LIMIT,
                        () -> pmm.allocate(order), what);
                count(served, zone);
                outOfMemory += zone == null ? 1 : 0;
            } else if (op < 45) {
                long bytes = 1 + random.nextLong((long) layout.pageSize() << 6);
                long alignment = 1L << random.nextInt(Integer.numberOfTrailingZeros(layout.pageSize()) + 7);
                long limit = switch (random.nextInt(3)) {
                    case 0 -> PhysicalMemoryManager.NO_LIMIT;
                    case 1 -> PhysicalMemoryManager.DMA32_LIMIT;
                    default -> model.firstAddress() + random.nextLong(model.endAddress() - model.firstAddress());
                };
                what = "allocateContiguous(%d, 0x%x, 0x%x)".formatted(bytes, alignment, limit);
                MemoryZone zone = allocate(pmm, model, model.orderFor(bytes), alignment, limit,
                        () -> pmm.allocateContiguous(bytes, alignment, limit), what);
                count(served, zone);
                outOfMemory += zone == null ? 1 : 0;
            } else if (op < 80) {
                List<Long> heads = new ArrayList<>(model.held().keySet());
                long head = heads.get(random.nextInt(heads.size()));
                what = "free(0x%x, %d)".formatted(head, model.held().get(head));
                free(pmm, model, head, model.held().get(head), what);
            } else {
                long address;
                int order = random.nextInt(pmm.maxOrder() + 3) - 1;
                int source = random.nextInt(4);
                if (source < 2 && !model.held().isEmpty()) {
                    List<Long> heads = new ArrayList<>(model.held().keySet());
                    long head = heads.get(random.nextInt(heads.size()));
                    int heldOrder = model.held().get(head);
                    address = head + (random.nextInt(3) == 0 ? (long) random.nextInt(1 << heldOrder) * layout.pageSize() : 0);
                    order = random.nextBoolean() ? heldOrder : order;
                } else if (source < 3) {
                    List<Long> edges = model.edges();
                    address = edges.get(random.nextInt(edges.size()));
                } else {
                    long frames = (model.endAddress() - model.firstAddress()) / layout.pageSize();
                    address = model.firstAddress() + random.nextLong(frames) * layout.pageSize();
                    address += random.nextInt(8) == 0 ? random.nextInt(layout.pageSize()) : 0;
                }
                what = "free(0x%x, %d)".formatted(address, order);
                Problem problem = free(pmm, model, address, order, what);
                if (problem != null) {
                    count(problems, problem);
                }
            }
            assertEquals(model.statistics(), pmm.statistics(), "after step %d: %s".formatted(step, what));
        }
        for (Map.Entry<Long, Integer> block : new ArrayList<>(model.held().entrySet())) {
            free(pmm, model, block.getKey(), block.getValue(), "free at the end");
        }
        assertEquals(model.statistics(), pmm.statistics(), "after freeing everything");
        assertEquals(pmm.statistics().totalFrames(), pmm.statistics().freeFrames());
        assertEquals(Problem.values().length, problems.size(), "every problem met: " + problems);
        assertEquals(2, served.size(), "both zones served: " + served);
        assertTrue(outOfMemory > 0, "memory ran out at least once");
    }

    private interface Allocation {
        long run() throws OutOfPhysicalMemoryException;
    }

    /** Runs an allocation and checks it against the model; returns the zone that served it, null if none. */
    private static MemoryZone allocate(FrameAllocator pmm, FrameModel model, int order, long alignment, long limit,
            Allocation allocation, String what) {
        List<MemoryZone> tried = new ArrayList<>();
        MemoryZone expected = model.expectedZone(order, alignment, limit, tried);
        try {
            long address = allocation.run();
            assertNotNull(expected, what + " succeeded where the model has no fitting run of free frames");
            assertTrue(model.fits(address, expected, order, alignment, limit),
                    "%s returned 0x%x, not a free block in %s that fits".formatted(what, address, expected));
            model.allocated(address, order);
            return expected;
        } catch (OutOfPhysicalMemoryException e) {
            assertNull(expected, what + " failed where the model has a fit in " + expected);
            assertEquals(tried, e.zonesTried(), what);
            assertEquals(order, e.order(), what);
            return null;
        }
    }

    /** Runs a free and checks it against the model; returns the problem it was rejected for, null if it succeeded. */
    private static Problem free(FrameAllocator pmm, FrameModel model, long address, int order, String what) {
        Problem expected = model.expectedProblem(address, order);
        try {
            pmm.free(address, order);
            if (expected != null) {
                fail(what + " succeeded; the model expects " + expected);
            }
            model.freed(address);
            return null;
        } catch (InvalidFreeException e) {
            assertEquals(expected, e.problem(), what + ": " + e.getMessage());
            return e.problem();
        }
    }

    private static <K> void count(Map<K, Integer> counts, K key) {
        if (key != null) {
            counts.merge(key, 1, Integer::sum);
        }
    }
}

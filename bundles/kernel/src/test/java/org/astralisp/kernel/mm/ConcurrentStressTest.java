package org.astralisp.kernel.mm;

import static org.astralisp.kernel.mm.Memory.GiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.PAGE_64K;
import static org.astralisp.kernel.mm.Memory.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.api.mm.ZoneStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several threads (standing in for vCPUs) allocate and free blocks of random
 * orders, and DMA32 buffers, for a while. Every frame of every block handed
 * out is claimed in a shared map for as long as its holder keeps it (claimed
 * after the allocation returns, released before the free is called): a claim
 * that finds the frame taken is a frame handed out twice while held. At the
 * end everything is free and coalesced back into the blocks it started as.
 */
class ConcurrentStressTest {

    private static final int THREADS = 4;
    private static final Duration RUN = Duration.ofMillis(1500);
    private static final int MAX_HELD = 48;

    record Layout(String name, int pageSize, PhysicalRange ram, int largestOrderAsked) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Layout> layouts() {
        return Stream.of(
                // one 1 GiB block of order 14 per zone: plenty of room, long split and merge chains
                new Layout("64 KiB frames, 1 GiB each side of 4 GiB", PAGE_64K, range(3 * GiB, 5 * GiB), 10),
                // one 4 MiB block per zone: memory runs out constantly, zones fall back
                new Layout("4 KiB frames, 4 MiB each side of 4 GiB", PAGE_4K, range(4 * GiB - 4 * MiB, 4 * GiB + 4 * MiB), 8));
    }

    private record Block(long address, int order) {
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void noFrameIsHandedOutTwiceAndEverythingCoalescesAtTheEnd(Layout layout) throws InterruptedException {
        FrameAllocator pmm = new FrameAllocator(layout.pageSize(), List.of(layout.ram()), List.of());
        MemoryStatistics initial = pmm.statistics();
        Map<Long, Long> owner = new ConcurrentHashMap<>();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Queue<Throwable> crashes = new ConcurrentLinkedQueue<>();
        LongAdder allocations = new LongAdder();
        LongAdder outOfMemory = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + RUN.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(1000 + t);
            threads.add(Thread.ofPlatform().name("vcpu-" + t).start(() -> {
                List<Block> held = new ArrayList<>();
                try {
                    start.await();
                    while (System.nanoTime() < deadline) {
                        if (!held.isEmpty() && (held.size() >= MAX_HELD || random.nextBoolean())) {
                            Block block = held.remove(random.nextInt(held.size()));
                            release(pmm, owner, block);
                            pmm.free(block.address(), block.order());
                            continue;
                        }
                        try {
                            Block block = allocate(pmm, random, layout.largestOrderAsked(), violations);
                            claim(pmm, owner, block, violations);
                            held.add(block);
                            allocations.increment();
                        } catch (OutOfPhysicalMemoryException e) {
                            outOfMemory.increment();
                        }
                    }
                    for (Block block : held) {
                        release(pmm, owner, block);
                        pmm.free(block.address(), block.order());
                    }
                } catch (Throwable e) {
                    crashes.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            assertTrue(thread.join(Duration.ofSeconds(30)), thread.getName() + " did not finish");
        }
        assertEquals(List.of(), List.copyOf(crashes));
        assertEquals(List.of(), List.copyOf(violations));
        assertTrue(owner.isEmpty());
        assertTrue(allocations.sum() > 1000, "too few allocations to mean anything: %d (%d out of memory)"
                .formatted(allocations.sum(), outOfMemory.sum()));

        MemoryStatistics end = pmm.statistics();
        for (MemoryZone zone : MemoryZone.values()) {
            ZoneStatistics before = initial.zone(zone);
            ZoneStatistics after = end.zone(zone);
            assertEquals(after.totalFrames(), after.freeFrames(), zone + ": not everything was freed");
            assertEquals(before.freeBlocks(), after.freeBlocks(), zone + ": not fully coalesced");
            assertEquals(1, after.freeBlocks().stream().mapToLong(Long::longValue).sum(), zone + ": one block per zone");
        }
    }

    /** 80 % ordinary blocks biased to small orders, 20 % DMA32 buffers, checked against the limit. */
    private static Block allocate(FrameAllocator pmm, Random random, int largestOrder, Queue<String> violations)
            throws OutOfPhysicalMemoryException {
        if (random.nextInt(5) > 0) {
            int order = random.nextInt(random.nextInt(largestOrder + 1) + 1);
            return new Block(pmm.allocate(order), order);
        }
        long bytes = 1 + random.nextLong((long) pmm.pageSize() << 4);
        long address = pmm.allocateContiguous(bytes, pmm.pageSize(), PhysicalMemoryManager.DMA32_LIMIT);
        if (address + bytes > PhysicalMemoryManager.DMA32_LIMIT) {
            violations.add("DMA32 buffer of %d bytes at 0x%x crosses 4 GiB".formatted(bytes, address));
        }
        return new Block(address, pmm.orderFor(bytes));
    }

    private static void claim(FrameAllocator pmm, Map<Long, Long> owner, Block block, Queue<String> violations) {
        for (long f = 0; f < 1L << block.order(); f++) {
            long frame = block.address() + f * pmm.pageSize();
            Long previous = owner.putIfAbsent(frame, block.address());
            if (previous != null) {
                violations.add("frame 0x%x of block 0x%x (order %d) is held in block 0x%x"
                        .formatted(frame, block.address(), block.order(), previous));
            }
        }
    }

    private static void release(FrameAllocator pmm, Map<Long, Long> owner, Block block) {
        for (long f = 0; f < 1L << block.order(); f++) {
            owner.remove(block.address() + f * pmm.pageSize(), block.address());
        }
    }
}

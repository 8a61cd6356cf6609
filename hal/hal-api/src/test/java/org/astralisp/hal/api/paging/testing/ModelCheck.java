package org.astralisp.hal.api.paging.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.AlreadyMappedException;
import org.astralisp.hal.api.paging.NotMappedException;
import org.astralisp.hal.api.paging.PageFaultException;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.UnsupportedPermissionsException;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat;

/**
 * A property test of a page-table format: random map, unmap, protect, translate, access and
 * clear-accessed/dirty operations, each checked against a plain {@link HashMap} from page to
 * translation; then every page of the pool is checked, everything is unmapped and the frames are
 * counted. The virtual pages are drawn from a pool built from the format's geometry — at every level
 * the index 0, 1 or the last — so that pages share tables, tables fill and empty, and both halves of a
 * sign-extended space are used. A failure names the seed and the step.
 */
public final class ModelCheck {

    private final TreePageTableFormat format;
    private final long seed;
    private final Random random;
    private final List<Long> pool;
    private final Map<Long, Translation> model = new HashMap<>();
    private final int physicalBits;

    public ModelCheck(TreePageTableFormat format, long seed) {
        this.format = format;
        this.seed = seed;
        this.random = new Random(seed);
        this.pool = pagePool(format);
        this.physicalBits = Math.min(format.physicalAddressBits(), 40);
    }

    /** The pages the check draws from. */
    public List<Long> pool() {
        return pool;
    }

    /**
     * Runs {@code steps} random operations on a new table over {@code ram}, unmaps everything, and
     * checks that only the root's frame is still out, and none after release.
     */
    public void run(ArenaPhysicalMemory ram, long firstFrame, int steps) {
        CountingFrameSource frames = new CountingFrameSource(ram, format.pageSize(), firstFrame);
        PageTable table = format.create(ram, frames);
        int step = 0;
        String operation = "create";
        try {
            for (; step < steps; step++) {
                operation = step(table);
            }
            operation = "final sweep";
            for (long page : pool) {
                assertEquals(Optional.ofNullable(model.get(page)), table.translate(page), "translation of " + hex(page));
            }
            operation = "unmap everything";
            for (long page : List.copyOf(model.keySet())) {
                assertEquals(model.remove(page), table.unmap(page));
            }
            assertEquals(1, frames.outstanding(), "frames held by an empty table (only the root's)");
            table.release();
            assertEquals(0, frames.outstanding(), "frames held after release");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(format.name() + " model check failed with seed " + seed + " at step " + step + " ("
                    + operation + "): " + e.getMessage(), e);
        }
    }

    private String step(PageTable table) {
        long page = pool.get(random.nextInt(pool.size()));
        Translation expected = model.get(page);
        int choice = random.nextInt(100);
        if (choice < 30) {
            return map(table, page, expected);
        } else if (choice < 48) {
            return unmap(table, page, expected);
        } else if (choice < 60) {
            return protect(table, page, expected);
        } else if (choice < 75) {
            return translate(table, page, expected);
        } else if (choice < 92) {
            return access(table, page, expected);
        }
        return clear(table, page, expected);
    }

    private String map(PageTable table, long page, Translation expected) {
        long physical = (random.nextLong() & ((1L << physicalBits) - 1)) & -format.pageSize();
        Permissions permissions = randomPermissions();
        String operation = "map " + hex(page) + " to " + hex(physical) + " " + permissions;
        if (!format.supports(permissions)) {
            assertThrows(UnsupportedPermissionsException.class, () -> table.map(page, physical, permissions));
        } else if (expected != null) {
            assertEquals(expected, assertThrows(AlreadyMappedException.class, () -> table.map(page, physical, permissions)).existing());
        } else {
            table.map(page, physical, permissions);
            model.put(page, new Translation(physical, permissions, false, false));
        }
        return operation;
    }

    private String unmap(PageTable table, long page, Translation expected) {
        if (expected == null) {
            assertThrows(NotMappedException.class, () -> table.unmap(page));
        } else {
            assertEquals(expected, table.unmap(page));
            model.remove(page);
        }
        return "unmap " + hex(page);
    }

    private String protect(PageTable table, long page, Translation expected) {
        Permissions permissions = randomPermissions();
        if (!format.supports(permissions)) {
            assertThrows(UnsupportedPermissionsException.class, () -> table.protect(page, permissions));
        } else if (expected == null) {
            assertThrows(NotMappedException.class, () -> table.protect(page, permissions));
        } else {
            table.protect(page, permissions);
            model.put(page, new Translation(expected.physical(), permissions, expected.accessed(), expected.dirty()));
        }
        return "protect " + hex(page) + " " + permissions;
    }

    private String translate(PageTable table, long page, Translation expected) {
        long offset = random.nextInt(format.pageSize());
        assertEquals(Optional.ofNullable(expected).map(t -> t.plus(offset)), table.translate(page + offset));
        return "translate " + hex(page + offset);
    }

    private String access(PageTable table, long page, Translation expected) {
        Access access = Access.values()[random.nextInt(Access.values().length)];
        Privilege privilege = Privilege.values()[random.nextInt(Privilege.values().length)];
        long offset = random.nextInt(format.pageSize());
        if (expected == null || !expected.permissions().permits(access, privilege)) {
            PageFaultException fault = assertThrows(PageFaultException.class, () -> table.access(page + offset, access, privilege));
            assertEquals(Optional.ofNullable(expected).map(t -> t.plus(offset)), fault.mapping());
        } else {
            Translation after = new Translation(expected.physical(), expected.permissions(), true,
                    expected.dirty() || access == Access.WRITE);
            assertEquals(after.plus(offset), table.access(page + offset, access, privilege));
            model.put(page, after);
        }
        return privilege + " " + access + " at " + hex(page + offset);
    }

    private String clear(PageTable table, long page, Translation expected) {
        boolean dirty = random.nextBoolean();
        if (expected == null) {
            assertThrows(NotMappedException.class, () -> clearBit(table, page, dirty));
        } else {
            assertEquals(dirty ? expected.dirty() : expected.accessed(), clearBit(table, page, dirty));
            model.put(page, new Translation(expected.physical(), expected.permissions(), expected.accessed() && dirty,
                    expected.dirty() && !dirty));
        }
        return "clear " + (dirty ? "dirty" : "accessed") + " " + hex(page);
    }

    private static boolean clearBit(PageTable table, long page, boolean dirty) {
        return dirty ? table.clearDirty(page) : table.clearAccessed(page);
    }

    private Permissions randomPermissions() {
        int bits = random.nextInt(32);
        return new Permissions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0);
    }

    private static List<Long> pagePool(TreePageTableFormat format) {
        List<Long> pages = new ArrayList<>();
        pages.add(0L);
        for (int level = 0; level < format.levels(); level++) {
            List<Long> extended = new ArrayList<>();
            long last = (1L << format.indexBits(level)) - 1;
            for (long page : pages) {
                for (long index : new long[] {0, 1, last}) {
                    extended.add(page + index * format.span(level));
                }
            }
            pages = extended;
        }
        int unused = Long.SIZE - format.virtualAddressBits();
        return pages.stream().map(page -> format.inRange(page) ? page : (page << unused) >> unused).toList();
    }

    private static String hex(long value) {
        return String.format("%#x", value);
    }
}

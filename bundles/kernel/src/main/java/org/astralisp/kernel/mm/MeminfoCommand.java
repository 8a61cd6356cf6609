package org.astralisp.kernel.mm;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.ZoneStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code meminfo}: the PMM's statistics as tables — frames per zone (total, free,
 * allocated, reserved, failed allocations) with a total line, the same in bytes, and free blocks per
 * order and zone. Each zone's row is one consistent snapshot ({@link PhysicalMemoryManager#statistics}).
 * Present exactly while a {@link PhysicalMemoryManager} service is.
 */
@Component(service = ConsoleCommand.class)
public final class MeminfoCommand implements ConsoleCommand {

    private static final String ZONE_ROW = "%-8s %12s %12s %12s %12s %8s%n";
    private static final String BYTES_ROW = "%-8s %12s %12s %12s %12s%n";
    private static final String ORDER_ROW = "%-6s %10s %12s %12s%n";

    private final PhysicalMemoryManager pmm;

    @Activate
    public MeminfoCommand(@Reference PhysicalMemoryManager pmm) {
        this.pmm = pmm;
    }

    @Override
    public String name() {
        return "meminfo";
    }

    @Override
    public String synopsis() {
        return "meminfo                    physical memory: page size, frames per zone, free blocks per order";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (!args.isEmpty()) {
            throw new CommandException("usage: meminfo");
        }
        out.print(render(pmm.statistics()));
    }

    /** The tables for {@code statistics}, lines ending in a newline. */
    static String render(MemoryStatistics statistics) {
        long page = statistics.pageSize();
        StringBuilder text = new StringBuilder();
        text.append("page size %d bytes, orders 0..%d (blocks of %s to %s)%n".formatted(page, statistics.maxOrder(),
                size(page), size(page << statistics.maxOrder())));
        text.append("%nframes%n".formatted()).append(ZONE_ROW.formatted("zone", "total", "free", "allocated", "reserved", "failed"));
        long reserved = 0;
        long failed = 0;
        for (ZoneStatistics zone : statistics.zones()) {
            text.append(ZONE_ROW.formatted(zone.zone(), zone.totalFrames(), zone.freeFrames(), zone.allocatedFrames(),
                    zone.reservedFrames(), zone.failedAllocations()));
            reserved += zone.reservedFrames();
            failed += zone.failedAllocations();
        }
        text.append(ZONE_ROW.formatted("all", statistics.totalFrames(), statistics.freeFrames(),
                statistics.allocatedFrames(), reserved, failed));
        text.append(BYTES_ROW.formatted("bytes", size(statistics.totalFrames() * page),
                size(statistics.freeFrames() * page), size(statistics.allocatedFrames() * page),
                size(reserved * page)));
        text.append("%nfree blocks%n".formatted()).append(ORDER_ROW.formatted("order", "block", MemoryZone.DMA32, MemoryZone.NORMAL));
        for (int order = 0; order <= statistics.maxOrder(); order++) {
            text.append(ORDER_ROW.formatted(order, size(page << order),
                    statistics.zone(MemoryZone.DMA32).freeBlocks(order), statistics.zone(MemoryZone.NORMAL).freeBlocks(order)));
        }
        return text.toString();
    }

    /** {@code 1 GiB}, {@code 131068 KiB}, {@code 0 B}: the largest binary unit that divides exactly. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + " " + units[unit];
    }
}

package org.astralisp.machine.irq.ppc;

import java.util.ArrayList;
import java.util.List;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.cpu.InterruptSource;
import org.astralisp.machine.cpu.VirtualCpuSignals;
import org.astralisp.machine.irq.DeliveryCounters;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TriggerMode;
import org.astralisp.machine.port.IrqLine;

/**
 * The ppc64 machine's interrupt controller: a XIVE-like router with one configuration word per
 * source (priority, target server = CPU, mask, POWER9-style P/Q event state:
 * {@link XiveSource}) and per server a thread context with a current processor priority (CPPR),
 * an acknowledge register and an EOI register. It keeps XIVE's priority convention (0 is the most
 * favoured, 0xFF the least; a source is presented while its priority is below the CPPR, so CPPR
 * 0 blocks everything and 0xFF admits priorities 0..0xFE) without its in-memory event queues.
 *
 * <p>Sources: 0 does not exist; 1..{@link #DEVICE_SOURCES} are device lines; source
 * {@code IPI_BASE + s} is server {@code s}'s inter-processor interrupt (edge, triggered by
 * software through TRIGGER).
 *
 * <p>Register map: 32-bit little-endian registers at 4-byte-aligned offsets; other widths and
 * offsets are machine checks.
 * <pre>
 * 0x0000 ID        ro  0x58495645 ("XIVE")
 * 0x0004 VERSION   ro  0x00010000
 * 0x0008 SOURCES   ro  number of source numbers, 0 included (1 + 64 + servers)
 * 0x000C SERVERS   ro  number of servers (CPUs)
 * 0x0010 IPI_BASE  ro  source number of server 0's IPI
 * 0x0014 TRIGGER   wo  write an IPI source number: an event on that source
 * 0x1000 + 4n      rw  configuration of source n (n ≥ 1):
 *                      7:0 priority, 23:8 server, 24 masked (reset 1),
 *                      28 level (ro), 29 in service (ro), 30 Q (ro), 31 P (ro)
 * 0x10000 + 0x1000s    thread context of server s:
 *   +0x0 CPPR      rw  7:0; reset 0 (nothing presented)
 *   +0x4 ACK       ro  (CPPR before << 24) | source; source 0: nothing presented. Acknowledging
 *                      sets CPPR to the source's priority and puts it in service.
 *   +0x8 EOI       wo  write a source number in service at this server: ends it
 *   +0xC PIPR      ro  priority of the most favoured presented source, 0xFF if none
 * </pre>
 *
 * <p>Server {@code s}'s external exception (vector 0x500) is pending while a source is presented
 * to it. Among presented sources the most favoured priority wins, ties the lowest number. An EOI
 * for a source not in service at that server is ignored, as is a number that is no source.
 *
 * <p>Locking: all state is guarded by this object's monitor; servers are kicked after it is
 * released. {@link #acknowledged()} counts acknowledges per server and source.
 */
public final class Xive implements MmioDevice {

    /** Device interrupt lines: sources 1..64. */
    public static final int DEVICE_SOURCES = 64;
    public static final int IPI_BASE = DEVICE_SOURCES + 1;
    /** The external interrupt's vector offset, its cause. */
    public static final long EXTERNAL_CAUSE = 0x500;

    static final int ID = 0x000;
    static final int VERSION = 0x004;
    static final int SOURCES = 0x008;
    static final int SERVERS = 0x00C;
    static final int IPI_BASE_REGISTER = 0x010;
    static final int TRIGGER = 0x014;
    static final int SOURCE_BASE = 0x1000;
    static final int SERVER_BASE = 0x1_0000;
    static final int SERVER_STRIDE = 0x1000;
    static final int CPPR = 0x0;
    static final int ACK = 0x4;
    static final int EOI = 0x8;
    static final int PIPR = 0xC;
    static final int ID_VALUE = 0x5849_5645;
    static final int VERSION_VALUE = 0x0001_0000;

    private static final String NAME = "xive";

    private final List<? extends VirtualCpuSignals> servers;
    private final XiveSource[] sources;
    private final int[] cppr;
    private final boolean[] wired = new boolean[DEVICE_SOURCES + 1];
    private final List<InterruptSource> external = new ArrayList<>();
    private final DeliveryCounters acknowledged;

    /** A controller with one server per CPU of {@code servers} (server {@code s} = {@code servers.get(s)}). */
    public Xive(List<? extends VirtualCpuSignals> servers) {
        this.servers = List.copyOf(servers);
        this.sources = new XiveSource[IPI_BASE + servers.size()];
        for (int number = 1; number <= DEVICE_SOURCES; number++) {
            sources[number] = new XiveSource(TriggerMode.EDGE, 0); // until wired; an unwired line has no events
        }
        for (int server = 0; server < servers.size(); server++) {
            sources[IPI_BASE + server] = new XiveSource(TriggerMode.EDGE, server);
            external.add(new ExternalInterrupt(server));
        }
        this.cppr = new int[servers.size()];
        this.acknowledged = new DeliveryCounters(servers.size(), sources.length);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return SERVER_BASE + (long) SERVER_STRIDE * servers.size();
    }

    /**
     * The line into device source {@code source} (1..64), a level (LSI) or edge (MSI) source.
     *
     * @throws IllegalArgumentException if there is no such source or it is wired already
     */
    public synchronized IrqLine line(int source, TriggerMode trigger) {
        if (source < 1 || source > DEVICE_SOURCES) {
            throw new IllegalArgumentException("XIVE source " + source + " is not in 1.." + DEVICE_SOURCES);
        }
        if (wired[source]) {
            throw new IllegalArgumentException("XIVE source " + source + " is wired already");
        }
        wired[source] = true;
        sources[source].wire(trigger);
        return new SourceLine(source);
    }

    /** Server {@code server}'s external exception (0x500) as an interrupt source. */
    public InterruptSource externalInterrupt(int server) {
        return external.get(server);
    }

    /** Acknowledges per server and source. */
    public DeliveryCounters acknowledged() {
        return acknowledged;
    }

    @Override
    public synchronized long read(long offset, int width) {
        int register = check(offset, width, false);
        if (register < SOURCE_BASE) {
            return Integer.toUnsignedLong(switch (register) {
                case ID -> ID_VALUE;
                case VERSION -> VERSION_VALUE;
                case SOURCES -> sources.length;
                case SERVERS -> servers.size();
                case IPI_BASE_REGISTER -> IPI_BASE;
                case TRIGGER -> throw RegisterFaults.writeOnly(NAME, offset, width, "TRIGGER");
                default -> throw RegisterFaults.noRegister(NAME, false, offset, width);
            });
        }
        if (register < SERVER_BASE) {
            return Integer.toUnsignedLong(source(register, false).word());
        }
        int server = (register - SERVER_BASE) / SERVER_STRIDE;
        return switch (register % SERVER_STRIDE) {
            case CPPR -> cppr[server];
            case ACK -> acknowledge(server);
            case PIPR -> presentedPriority(server);
            case EOI -> throw RegisterFaults.writeOnly(NAME, offset, width, "EOI");
            default -> throw RegisterFaults.noRegister(NAME, false, offset, width);
        };
    }

    @Override
    public void write(long offset, int width, long value) {
        int data = (int) value;
        synchronized (this) {
            int register = check(offset, width, true);
            if (register < SOURCE_BASE) {
                writeGlobal(register, data, offset, width);
            } else if (register < SERVER_BASE) {
                XiveSource source = source(register, true);
                int server = (data & XiveSource.SERVER) >>> XiveSource.SERVER_SHIFT;
                if (server >= servers.size()) {
                    throw RegisterFaults.refused(NAME, offset, width, "no server " + server);
                }
                source.configure(data);
            } else {
                int server = (register - SERVER_BASE) / SERVER_STRIDE;
                switch (register % SERVER_STRIDE) {
                    case CPPR -> cppr[server] = data & 0xFF;
                    case EOI -> endOfInterrupt(server, data);
                    case ACK, PIPR -> throw RegisterFaults.readOnly(NAME, offset, width,
                            register % SERVER_STRIDE == ACK ? "ACK" : "PIPR");
                    default -> throw RegisterFaults.noRegister(NAME, true, offset, width);
                }
            }
        }
        notifyServers();
    }

    private void writeGlobal(int register, int data, long offset, int width) {
        if (register != TRIGGER) {
            if (register <= IPI_BASE_REGISTER) {
                throw RegisterFaults.readOnly(NAME, offset, width, String.format("register 0x%03x", register));
            }
            throw RegisterFaults.noRegister(NAME, true, offset, width);
        }
        if (data < IPI_BASE || data >= sources.length) {
            throw RegisterFaults.refused(NAME, offset, width, "source " + data + " is no IPI source ("
                    + IPI_BASE + ".." + (sources.length - 1) + ")");
        }
        sources[data].event();
    }

    private int check(long offset, int width, boolean write) {
        if (offset < 0 || offset >= size()) {
            throw RegisterFaults.noRegister(NAME, write, offset, width);
        }
        if (width != 4 || (offset & 3) != 0) {
            throw RegisterFaults.badWidth(NAME, write, offset, width, "XIVE registers are 32 bits wide");
        }
        return (int) offset;
    }

    private XiveSource source(int register, boolean write) {
        int number = (register - SOURCE_BASE) / 4;
        if (number < 1 || number >= sources.length) {
            throw RegisterFaults.noRegister(NAME, write, register, 4);
        }
        return sources[number];
    }

    /** The most favoured source presented to {@code server}, or 0. */
    private int presented(int server) {
        int best = 0;
        for (int number = 1; number < sources.length; number++) {
            XiveSource source = sources[number];
            if (source.presentedTo(server, cppr[server])
                    && (best == 0 || source.priority() < sources[best].priority())) {
                best = number;
            }
        }
        return best;
    }

    private int presentedPriority(int server) {
        int best = presented(server);
        return best == 0 ? 0xFF : sources[best].priority();
    }

    private long acknowledge(int server) {
        int before = cppr[server];
        int number = presented(server);
        if (number != 0) {
            sources[number].acknowledge(server);
            cppr[server] = sources[number].priority();
            acknowledged.increment(server, number);
        }
        return Integer.toUnsignedLong(before << 24 | number);
    }

    private void endOfInterrupt(int server, int number) {
        if (number >= 1 && number < sources.length && sources[number].servedBy() == server) {
            sources[number].endOfInterrupt();
        }
    }

    private void setLine(int number, boolean level) {
        synchronized (this) {
            sources[number].lineChanged(level);
        }
        notifyServers();
    }

    private synchronized boolean externalPending(int server) {
        return presented(server) != 0;
    }

    /** Kicks every server that has a source presented. Called without the monitor. */
    private void notifyServers() {
        for (int server = 0; server < servers.size(); server++) {
            if (externalPending(server)) {
                servers.get(server).kick();
            }
        }
    }

    /** A server's 0x500: pending while a source is presented; the OS then reads ACK. */
    private final class ExternalInterrupt implements InterruptSource {

        private final int server;

        ExternalInterrupt(int server) {
            this.server = server;
        }

        @Override
        public boolean pending() {
            return externalPending(server);
        }

        @Override
        public long acknowledge() {
            return EXTERNAL_CAUSE;
        }
    }

    /** One device source's line as a device sees it. */
    private final class SourceLine implements IrqLine {

        private final int source;

        SourceLine(int source) {
            this.source = source;
        }

        @Override
        public void raise() {
            setLine(source, true);
        }

        @Override
        public void lower() {
            setLine(source, false);
        }
    }
}

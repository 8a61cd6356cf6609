package org.astralisp.kernel.irq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.astralisp.hal.api.irq.InterruptController;
import org.astralisp.kernel.api.irq.InterruptHandler;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.api.irq.InterruptRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requested lines of the controller and their handlers: request
 * validation, configuration through the controller (trigger, priority, route,
 * mask), and the dispatch of an external interrupt to every handler of its line.
 *
 * <p>Locking: requests, closes and line operations run under this object's
 * monitor, which orders the controller writes of one line (a route never
 * overtakes the unmask after it). The dispatcher takes no lock: it reads the
 * line from an {@link AtomicReferenceArray} and the line's handler array
 * through a volatile field (see {@link InterruptLine}). A line is published in
 * the array before it is unmasked and removed after it is masked, so a
 * delivered line always has its handlers, except in the window where the
 * last handler closes while the interrupt is already claimed on another CPU:
 * that interrupt finds no line and is counted as spurious.
 */
final class LineTable {

    private static final Logger LOG = LoggerFactory.getLogger(LineTable.class);

    private final InterruptController controller;
    private final int cpus;
    private final int first;
    private final int last;
    private final AtomicReferenceArray<InterruptLine> lines;
    /** Guarded by {@code this}: false once the framework stopped; every registration of this table is then dead. */
    private boolean open = true;

    LineTable(InterruptController controller) {
        this.controller = controller;
        this.cpus = controller.cpus();
        this.first = controller.firstLine();
        this.last = controller.lastLine();
        this.lines = new AtomicReferenceArray<>(last + 1);
    }

    synchronized InterruptRegistration request(InterruptRequest request, InterruptHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        String who = "interrupt line " + request.line() + " (" + request.name() + ")";
        if (!open) {
            throw new InterruptRequestException(who + ": the interrupt framework is stopped");
        }
        if (request.name().isBlank()) {
            throw new InterruptRequestException(who + ": the name is empty; it is what 'interrupts' shows");
        }
        if (request.line() < first || request.line() > last) {
            throw new InterruptRequestException(who + ": no such line: " + controller.name() + " has lines "
                    + first + ".." + last);
        }
        if (request.priority() < 1 || request.priority() > controller.maxPriority()) {
            throw new InterruptRequestException(who + ": priority " + request.priority() + " is outside 1.."
                    + controller.maxPriority());
        }
        if (request.cpu() < 0 || request.cpu() >= cpus) {
            throw new InterruptRequestException(who + ": CPU " + request.cpu() + " does not exist (CPUs are 0.."
                    + (cpus - 1) + ")");
        }
        InterruptLine.Handler entry = new InterruptLine.Handler(request.name(), handler);
        InterruptLine existing = lines.get(request.line());
        if (existing != null) {
            share(existing, request, who);
            existing.add(entry);
            return new LineRegistration(this, existing, entry);
        }
        InterruptLine line = new InterruptLine(request.line(), request.trigger(), request.priority(), request.cpu(),
                cpus);
        try {
            controller.configure(request.line(), request.trigger());
        } catch (IllegalArgumentException e) {
            throw new InterruptRequestException(who + ": the controller refuses trigger " + request.trigger() + ": "
                    + e.getMessage());
        }
        controller.setPriority(request.line(), request.priority());
        controller.route(request.line(), request.cpu());
        line.add(entry);
        lines.set(request.line(), line);
        controller.enable(request.line());
        return new LineRegistration(this, line, entry);
    }

    /** Whether {@code request} may join the handlers of {@code line}: level, same trigger, same priority and CPU. */
    private static void share(InterruptLine line, InterruptRequest request, String who) {
        String holders = String.join(", ", line.names());
        if (request.trigger() != line.trigger) {
            throw new InterruptRequestException(who + ": trigger " + request.trigger() + " differs from "
                    + line.trigger + ", the trigger of the line's handler " + holders);
        }
        if (line.trigger == org.astralisp.hal.api.irq.Trigger.EDGE) {
            throw new InterruptRequestException(who + ": an edge line has one handler, and " + holders
                    + " has it");
        }
        if (request.priority() != line.priority || request.cpu() != line.cpu) {
            throw new InterruptRequestException(who + ": a shared line has one priority and CPU: it has priority "
                    + line.priority + " on CPU " + line.cpu + " (for " + holders + "), the request asks for priority "
                    + request.priority() + " on CPU " + request.cpu());
        }
    }

    /**
     * Calls every handler of {@code lineNumber} on {@code cpu} and counts the
     * interrupt; false if no line is requested there. A handler that throws is
     * logged once per burst of failures of the line, and the others still run.
     */
    boolean dispatch(int lineNumber, int cpu) {
        InterruptLine line = lineNumber <= last ? lines.get(lineNumber) : null;
        if (line == null) {
            return false;
        }
        line.counts.incrementAndGet(cpu);
        boolean failed = false;
        for (InterruptLine.Handler handler : line.handlers) {
            try {
                handler.handler().handle(cpu);
            } catch (RuntimeException | AssertionError | LinkageError e) {
                failed = true;
                if (!line.failing) {
                    line.failing = true;
                    LOG.error("interrupt line {} ({}): handler {} threw on CPU {}; the line was completed and"
                            + " counted, further failures of the line are not logged until it is handled again",
                            lineNumber, String.join(", ", line.names()), handler.name(), cpu, e);
                }
            }
        }
        if (!failed) {
            line.failing = false;
        }
        return true;
    }

    synchronized void mask(LineRegistration registration, boolean masked) {
        checkOpen(registration);
        if (masked) {
            controller.disable(registration.line.line);
        } else {
            controller.enable(registration.line.line);
        }
        registration.line.masked = masked;
    }

    synchronized void setAffinity(LineRegistration registration, int cpu) {
        checkOpen(registration);
        if (cpu < 0 || cpu >= cpus) {
            throw new InterruptRequestException(registration.line.describe() + ": CPU " + cpu
                    + " does not exist (CPUs are 0.." + (cpus - 1) + ")");
        }
        controller.route(registration.line.line, cpu);
        registration.line.cpu = cpu;
    }

    synchronized void setPriority(LineRegistration registration, int priority) {
        checkOpen(registration);
        if (priority < 1 || priority > controller.maxPriority()) {
            throw new InterruptRequestException(registration.line.describe() + ": priority " + priority
                    + " is outside 1.." + controller.maxPriority());
        }
        controller.setPriority(registration.line.line, priority);
        registration.line.priority = priority;
    }

    long count(LineRegistration registration, int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException(registration.line.describe() + ": CPU " + cpu
                    + " does not exist (CPUs are 0.." + (cpus - 1) + ")");
        }
        return registration.line.counts.get(cpu);
    }

    synchronized void close(LineRegistration registration) {
        if (registration.closed) {
            return;
        }
        registration.closed = true;
        InterruptLine line = registration.line;
        if (!open || !line.remove(registration.handler) || line.handlers.length > 0) {
            return;
        }
        controller.disable(line.line);
        lines.compareAndSet(line.line, line, null);
    }

    /** Masks every requested line and kills every registration: the framework is stopping. */
    synchronized void closeAll() {
        open = false;
        for (int line = first; line <= last; line++) {
            if (lines.getAndSet(line, null) != null) {
                controller.disable(line);
            }
        }
    }

    /** The requested lines, in line order. */
    synchronized List<InterruptLine> requested() {
        List<InterruptLine> requested = new ArrayList<>();
        for (int line = first; line <= last; line++) {
            InterruptLine requestedLine = lines.get(line);
            if (requestedLine != null) {
                requested.add(requestedLine);
            }
        }
        return requested;
    }

    private void checkOpen(LineRegistration registration) {
        if (registration.closed) {
            throw new IllegalStateException(registration + ": the registration is closed");
        }
        if (!open) {
            throw new IllegalStateException(registration + ": the interrupt framework was stopped");
        }
    }
}

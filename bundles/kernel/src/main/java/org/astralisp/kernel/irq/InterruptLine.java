package org.astralisp.kernel.irq;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.InterruptHandler;

/**
 * A requested controller line: its handlers, its configuration and its
 * per-CPU counters.
 *
 * <p>Configuration ({@code priority}, {@code cpu}, {@code masked}) and the
 * handler list change under the {@link LineTable}'s monitor; the dispatcher
 * reads them without a lock: {@code handlers} is a copy-on-write array
 * published through a volatile field, so a dispatch sees either the list
 * before a change or after it, never a torn one. {@code counts[cpu]} is
 * written by the dispatching CPU only.
 */
final class InterruptLine {

    record Handler(String name, InterruptHandler handler) {
    }

    final int line;
    final Trigger trigger;
    final AtomicLongArray counts;
    volatile Handler[] handlers = new Handler[0];
    volatile int priority;
    volatile int cpu;
    volatile boolean masked;
    /** A handler threw during the current burst of failures: logged once until an interrupt goes well. */
    volatile boolean failing;

    InterruptLine(int line, Trigger trigger, int priority, int cpu, int cpus) {
        this.line = line;
        this.trigger = trigger;
        this.priority = priority;
        this.cpu = cpu;
        this.counts = new AtomicLongArray(cpus);
    }

    void add(Handler handler) {
        Handler[] current = handlers;
        Handler[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = handler;
        handlers = next;
    }

    /** Removes {@code handler} (by identity); true if it was there. */
    boolean remove(Handler handler) {
        Handler[] current = handlers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == handler) {
                Handler[] next = new Handler[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                handlers = next;
                return true;
            }
        }
        return false;
    }

    /** The handlers' names, in request order. */
    List<String> names() {
        return Arrays.stream(handlers).map(Handler::name).toList();
    }

    String describe() {
        return "interrupt line " + line + " (" + String.join(", ", names()) + ")";
    }
}

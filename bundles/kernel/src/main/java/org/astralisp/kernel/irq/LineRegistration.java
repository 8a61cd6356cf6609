package org.astralisp.kernel.irq;

import org.astralisp.kernel.api.irq.InterruptRegistration;

/** One installed handler; line operations go to the {@link LineTable}, which checks the registration is open. */
final class LineRegistration implements InterruptRegistration {

    private final LineTable table;
    final InterruptLine line;
    final InterruptLine.Handler handler;
    /** Guarded by the table's monitor. */
    boolean closed;

    LineRegistration(LineTable table, InterruptLine line, InterruptLine.Handler handler) {
        this.table = table;
        this.line = line;
        this.handler = handler;
    }

    @Override
    public int line() {
        return line.line;
    }

    @Override
    public void mask() {
        table.mask(this, true);
    }

    @Override
    public void unmask() {
        table.mask(this, false);
    }

    @Override
    public void setAffinity(int cpu) {
        table.setAffinity(this, cpu);
    }

    @Override
    public void setPriority(int priority) {
        table.setPriority(this, priority);
    }

    @Override
    public long count(int cpu) {
        return table.count(this, cpu);
    }

    @Override
    public void close() {
        table.close(this);
    }

    @Override
    public String toString() {
        return handler.name() + " on interrupt line " + line.line;
    }
}

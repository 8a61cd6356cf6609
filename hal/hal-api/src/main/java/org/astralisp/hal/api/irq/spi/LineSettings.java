package org.astralisp.hal.api.irq.spi;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.InvalidPriorityException;

/**
 * A driver's copy of each line's priority, CPU and mask, for a controller
 * whose per-line register holds them together (an I/O APIC redirection
 * entry, a XIVE source configuration): a change is checked, recorded, and the
 * line's register written again through {@code writeBack}, which reads the
 * whole setting from here.
 *
 * <p>Lines start as {@link org.astralisp.hal.api.irq.InterruptController}
 * says: priority 1, CPU 0, disabled. Not thread-safe: the driver's own lock
 * guards it together with the register it writes.
 */
public final class LineSettings {

    private final String controller;
    private final int maxPriority;
    private final int cpus;
    private final int[] priority;
    private final int[] cpu;
    private final boolean[] enabled;
    private final IntConsumer writeBack;

    /**
     * @param controller the controller's name, for error messages
     * @param lines lines {@code 0..lines-1} are kept (the driver checks which of them exist)
     * @param writeBack writes line {@code n}'s register from {@link #priority}, {@link #cpu}, {@link #enabled}
     */
    public LineSettings(String controller, int lines, int maxPriority, int cpus, IntConsumer writeBack) {
        this.controller = controller;
        this.maxPriority = maxPriority;
        this.cpus = cpus;
        this.priority = new int[lines];
        this.cpu = new int[lines];
        this.enabled = new boolean[lines];
        this.writeBack = writeBack;
        Arrays.fill(priority, 1);
    }

    /** @throws InvalidPriorityException if {@code value} is not {@code 1..maxPriority} */
    public void setPriority(int line, int value) {
        priority[line] = InvalidPriorityException.check(controller, "priority", value, 1, maxPriority);
        writeBack.accept(line);
    }

    /** @throws InvalidCpuException if there is no CPU {@code value} */
    public void route(int line, int value) {
        cpu[line] = InvalidCpuException.check(value, cpus);
        writeBack.accept(line);
    }

    public void setEnabled(int line, boolean value) {
        enabled[line] = value;
        writeBack.accept(line);
    }

    public int priority(int line) {
        return priority[line];
    }

    public int cpu(int line) {
        return cpu[line];
    }

    public boolean enabled(int line) {
        return enabled[line];
    }
}

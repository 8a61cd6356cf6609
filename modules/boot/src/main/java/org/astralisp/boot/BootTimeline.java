package org.astralisp.boot;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The boot timeline: named stages with how long each took. Stages are recorded
 * as they end, so the durations add up to the time since the first mark.
 * Not thread-safe: the boot runs on one thread.
 */
public final class BootTimeline {

    /** A finished stage. */
    public record Stage(String name, long nanos) {
        public double millis() {
            return nanos / 1e6;
        }
    }

    private final List<Stage> stages = new ArrayList<>();
    private final long origin;
    private long last;

    /** Starts the timeline at {@code originNanos} on the {@link System#nanoTime()} clock. */
    public BootTimeline(long originNanos) {
        this.origin = originNanos;
        this.last = originNanos;
    }

    /** Ends the current stage, naming it, and starts the next. */
    public void mark(String stage) {
        long now = System.nanoTime();
        stages.add(new Stage(stage, now - last));
        last = now;
    }

    public List<Stage> stages() {
        return List.copyOf(stages);
    }

    /** Milliseconds from the origin to the last mark. */
    public double totalMillis() {
        return (last - origin) / 1e6;
    }

    public void print(PrintStream out) {
        for (Stage stage : stages) {
            out.printf("  [%7.1f ms] %s%n", stage.millis(), stage.name());
        }
    }
}

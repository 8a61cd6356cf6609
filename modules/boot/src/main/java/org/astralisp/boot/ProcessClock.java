package org.astralisp.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * When this process started, to 10 ms. {@code ProcessHandle.info().startInstant()}
 * is not good enough on Linux: it adds the start tick count to the boot time,
 * which the kernel gives in whole seconds, so it can be off by up to a second.
 * The age of the process, {@code /proc/uptime} minus the start time in
 * {@code /proc/self/stat} (field 22, in clock ticks of 1/100 s — USER_HZ is 100
 * on every Linux architecture we run on), has no such error.
 */
final class ProcessClock {

    static final long TICKS_PER_SECOND = 100;

    private ProcessClock() {
    }

    static Instant processStart() {
        try {
            Duration age = age(Files.readString(Path.of("/proc/self/stat")), Files.readString(Path.of("/proc/uptime")));
            return Instant.now().minus(age);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant().orElse(Instant.now());
        }
    }

    /** The age of a process from the text of its {@code stat} file and of {@code /proc/uptime}. */
    static Duration age(String stat, String uptime) {
        // The command name (field 2) is in parentheses and may contain anything; fields resume after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(fields[22 - 3]);
        double upSeconds = Double.parseDouble(uptime.trim().split("\\s+")[0]);
        long ageMillis = Math.round(upSeconds * 1000) - startTicks * 1000 / TICKS_PER_SECOND;
        return Duration.ofMillis(Math.max(0, ageMillis));
    }
}

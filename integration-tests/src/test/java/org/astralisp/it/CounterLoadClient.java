package org.astralisp.it;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.astralisp.it.container.AstraConsole;

/**
 * The test side of the {@code counter-load} command (bundle
 * {@link TestBundles#counterLoad()}): starts, watches and stops the load that
 * calls the sample counter from inside the image, and reads its reports.
 */
final class CounterLoadClient {

    private static final Pattern STARTED = Pattern.compile("load started at value=(\\d+)");
    private static final Pattern PROBE = Pattern.compile("value=(\\d+) implementation=(.+)");

    /** The calls that began in one phase of the load, and the longest of them. */
    record Phase(long calls, long maxWaitMicros) {
    }

    /** What {@code counter-load status|stop} reports. */
    record LoadReport(long calls, long failures, long maxWaitMicros, long lastValue, long baseline,
                      Map<String, Phase> phases, String text) {

        private static final Pattern REPORT = Pattern.compile("calls=(\\d+) failures=(\\d+) maxWaitMicros=(\\d+)"
                + " lastValue=(\\d+) baseline=(\\d+) phases=(\\S+)( firstFailure=.*)?");
        private static final Pattern PHASE = Pattern.compile("([^:,]+):(\\d+)/(\\d+)");

        static LoadReport parse(String text) {
            Matcher report = REPORT.matcher(text);
            if (!report.matches()) {
                throw new AssertionError("not a load report: " + text);
            }
            Map<String, Phase> phases = new LinkedHashMap<>();
            for (String phase : report.group(6).split(",")) {
                Matcher parts = PHASE.matcher(phase);
                if (!parts.matches()) {
                    throw new AssertionError("not a phase '" + phase + "' in: " + text);
                }
                phases.put(parts.group(1), new Phase(Long.parseLong(parts.group(2)), Long.parseLong(parts.group(3))));
            }
            return new LoadReport(Long.parseLong(report.group(1)), Long.parseLong(report.group(2)),
                    Long.parseLong(report.group(3)), Long.parseLong(report.group(4)), Long.parseLong(report.group(5)),
                    phases, text);
        }

        /** The phase called {@code name}. */
        Phase phase(String name) {
            Phase phase = phases.get(name);
            if (phase == null) {
                throw new AssertionError("no phase " + name + " in: " + text);
            }
            return phase;
        }
    }

    /** What {@code counter-load probe} reports: a fresh {@code Counter.value()} and {@code implementation()}. */
    record Probe(long value, String implementation) {
    }

    private final AstraConsole console;

    CounterLoadClient(AstraConsole console) {
        this.console = console;
    }

    /** Starts the load; returns the counter's value when it started. */
    long start() {
        String reply = console.run("counter-load start");
        Matcher started = STARTED.matcher(reply);
        if (!started.matches()) {
            throw new AssertionError("counter-load start answered: " + reply);
        }
        return Long.parseLong(started.group(1));
    }

    /** Starts the phase {@code name}: calls that begin from now on count in it. */
    void mark(String name) {
        String reply = console.run("counter-load mark " + name);
        if (!reply.equals("phase " + name)) {
            throw new AssertionError("counter-load mark answered: " + reply);
        }
    }

    LoadReport status() {
        return LoadReport.parse(console.run("counter-load status"));
    }

    /** Stops the load; the report is final. */
    LoadReport stop() {
        return LoadReport.parse(console.run("counter-load stop"));
    }

    Probe probe() {
        String reply = console.run("counter-load probe");
        Matcher probe = PROBE.matcher(reply);
        if (!probe.matches()) {
            throw new AssertionError("counter-load probe answered: " + reply);
        }
        return new Probe(Long.parseLong(probe.group(1)), probe.group(2));
    }

    /** Polls the running load until it has made {@code calls} calls; a load that stalls fails the test. */
    LoadReport awaitCalls(long calls, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            LoadReport report = status();
            if (report.calls() >= calls) {
                return report;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the load made " + report.calls() + " of " + calls + " calls within "
                        + patience.toSeconds() + " s: " + report.text());
            }
            Thread.sleep(10);
        }
    }
}

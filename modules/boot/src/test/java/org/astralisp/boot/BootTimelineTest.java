package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootTimelineTest {

    @Test
    void stagesAddUpToTheTotalAndPrintInOrder() throws InterruptedException {
        BootTimeline timeline = new BootTimeline(System.nanoTime());
        Thread.sleep(5);
        timeline.mark("first");
        Thread.sleep(5);
        timeline.mark("second");
        assertEquals(2, timeline.stages().size());
        double sum = timeline.stages().stream().mapToDouble(BootTimeline.Stage::millis).sum();
        assertEquals(timeline.totalMillis(), sum, 0.001);
        assertTrue(timeline.stages().get(0).millis() >= 5);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        timeline.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].matches("  \\[ *\\d+\\.\\d ms] first"), lines[0]);
        assertTrue(lines[1].endsWith("] second"), lines[1]);
    }
}

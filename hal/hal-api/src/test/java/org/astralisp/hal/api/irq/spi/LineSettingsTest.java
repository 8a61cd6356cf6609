package org.astralisp.hal.api.irq.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.hal.api.irq.InvalidCpuException;
import org.astralisp.hal.api.irq.InvalidPriorityException;
import org.junit.jupiter.api.Test;

class LineSettingsTest {

    private final List<Integer> written = new ArrayList<>();
    private final LineSettings lines = new LineSettings("test", 4, 7, 2, written::add);

    @Test
    void linesStartAtPriorityOneOnCpuZeroDisabled() {
        assertEquals(1, lines.priority(3));
        assertEquals(0, lines.cpu(3));
        assertFalse(lines.enabled(3));
    }

    @Test
    void eachChangeIsRecordedAndWrittenBack() {
        lines.setPriority(2, 7);
        lines.route(2, 1);
        lines.setEnabled(2, true);
        assertEquals(7, lines.priority(2));
        assertEquals(1, lines.cpu(2));
        assertTrue(lines.enabled(2));
        assertEquals(List.of(2, 2, 2), written);
    }

    @Test
    void aRefusedChangeWritesNothing() {
        assertThrows(InvalidPriorityException.class, () -> lines.setPriority(1, 8));
        assertThrows(InvalidPriorityException.class, () -> lines.setPriority(1, 0));
        assertThrows(InvalidCpuException.class, () -> lines.route(1, 2));
        assertEquals(List.of(), written);
        assertEquals(1, lines.priority(1));
    }
}

package org.astralisp.boot.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HandoverStateTest {

    private final HandoverState state = HandoverState.builder("disk.queue", 2)
            .putLong("head", 7)
            .putString("device", "vda")
            .putBoolean("flushing", true)
            .putBytes("ring", new byte[] {1, 2, 3})
            .build();

    @Test
    void returnsEachValueWithItsType() throws HandoverException {
        assertEquals(7, state.getLong("head"));
        assertEquals("vda", state.getString("device"));
        assertTrue(state.getBoolean("flushing"));
        assertArrayEquals(new byte[] {1, 2, 3}, state.getBytes("ring"));
        assertEquals(Set.of("head", "device", "flushing", "ring"), state.keys());
        assertEquals("disk.queue", state.format());
        assertEquals(2, state.formatVersion());
    }

    @Test
    void bytesAreCopiedInAndOut() throws HandoverException {
        byte[] original = {9};
        HandoverState snapshot = HandoverState.builder("f", 1).putBytes("b", original).build();
        original[0] = 0;
        byte[] read = snapshot.getBytes("b");
        read[0] = 5;
        assertEquals(9, snapshot.getBytes("b")[0]);
    }

    @Test
    void missingKeyIsASpecificError() {
        HandoverException e = assertThrows(HandoverException.class, () -> state.getLong("tail"));
        assertEquals("state disk.queue has no value 'tail'", e.getMessage());
    }

    @Test
    void wrongTypeIsASpecificError() {
        HandoverException e = assertThrows(HandoverException.class, () -> state.getLong("device"));
        assertEquals("state disk.queue value 'device' is a String, not a Long", e.getMessage());
    }

    @Test
    void acceptsKnownFormatVersionsAndRefusesOthers() throws HandoverException {
        state.requireFormat("disk.queue", 2);
        assertThrows(HandoverException.class, () -> state.requireFormat("disk.queue", 1));
        HandoverException e = assertThrows(HandoverException.class, () -> state.requireFormat("net.sockets", 5));
        assertTrue(e.getMessage().contains("disk.queue v2 cannot be imported"), e.getMessage());
    }

    @Test
    void aKeyCanBeSetOnlyOnce() {
        HandoverState.Builder builder = HandoverState.builder("f", 1).putLong("k", 1);
        assertThrows(IllegalArgumentException.class, () -> builder.putString("k", "again"));
    }

    @Test
    void formatVersionStartsAtOne() {
        assertThrows(IllegalArgumentException.class, () -> HandoverState.builder("f", 0));
    }

    @Test
    void describesItselfByFormatAndKeys() {
        assertEquals("disk.queue v2 [head, device, flushing, ring]", state.toString());
        assertFalse(state.keys().isEmpty());
    }
}

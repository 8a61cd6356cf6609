package org.astralisp.machine.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PhandlesTest {

    @Test
    void numbersLabelsFromOneInOrderAndFindsThemAgain() {
        Board.Phandles phandles = new Board.Phandles();
        assertEquals(1, phandles.assign("cpu0_intc"));
        assertEquals(2, phandles.assign("plic"));
        assertEquals(1, phandles.of("cpu0_intc"));
        assertEquals(2, phandles.of("plic"));
    }

    @Test
    void aLabelIsAssignedOnce() {
        Board.Phandles phandles = new Board.Phandles();
        phandles.assign("plic");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> phandles.assign("plic"));
        assertEquals("label plic is assigned already", e.getMessage());
    }

    @Test
    void anUnassignedLabelIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Board.Phandles().of("xive"));
        assertEquals("no node is labelled xive", e.getMessage());
    }
}

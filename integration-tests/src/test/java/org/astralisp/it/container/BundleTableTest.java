package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the {@code bundles} table. */
class BundleTableTest {

    private static final String TABLE = """
              ID  STATE       LEVEL  NAME VERSION
               0  ACTIVE          0  org.apache.felix.framework 7.0.5
               4  ACTIVE          1  org.apache.felix.scr 2.2.14
              12  RESOLVED        1  org.astralisp.sample.counter 1.0.0""";

    @Test
    void readsEveryRow() {
        BundleTable table = BundleTable.parse(TABLE);

        assertEquals(List.of(
                new BundleTable.Row(0, "ACTIVE", 0, "org.apache.felix.framework", "7.0.5"),
                new BundleTable.Row(4, "ACTIVE", 1, "org.apache.felix.scr", "2.2.14"),
                new BundleTable.Row(12, "RESOLVED", 1, "org.astralisp.sample.counter", "1.0.0")), table.rows());
    }

    @Test
    void findsBundlesByNameAndById() {
        BundleTable table = BundleTable.parse(TABLE);

        assertEquals(12, table.find("org.astralisp.sample.counter").orElseThrow().id());
        assertEquals("org.apache.felix.scr", table.find(4).orElseThrow().symbolicName());
        assertTrue(table.find("org.astralisp.absent").isEmpty());
        assertTrue(table.find(99).isEmpty());
    }

    @Test
    void rejectsOutputWithoutTheHeader() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BundleTable.parse("bundles: usage: bundles"));

        assertTrue(refused.getMessage().startsWith("not a bundle table"), refused.getMessage());
    }

    @Test
    void rejectsARowOfAnotherShape() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BundleTable.parse(TABLE + "\n  13  ACTIVE  org.x"));

        assertEquals("line 5 of the bundle table is not a bundle:   13  ACTIVE  org.x", refused.getMessage());
    }
}

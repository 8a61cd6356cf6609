package org.astralisp.it.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the reply to {@code install}. */
class InstalledBundleTest {

    @Test
    void readsNameVersionAndId() {
        assertEquals(Optional.of(new InstalledBundle("org.astralisp.sample.counter", "1.0.0", 6)),
                InstalledBundle.parse("installed org.astralisp.sample.counter 1.0.0 [6]"));
    }

    @Test
    void writesItselfAsTheConsoleNamesBundles() {
        assertEquals("org.x 2.1.0 [17]", new InstalledBundle("org.x", "2.1.0", 17).toString());
    }

    @Test
    void errorReplyIsNoInstall() {
        assertTrue(InstalledBundle.parse("install: /x.jar: no such file").isEmpty());
    }
}

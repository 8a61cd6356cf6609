package org.astralisp.hal.api.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PermissionsTest {

    @Test
    void textFormRoundTripsEveryCombination() {
        for (int bits = 0; bits < 32; bits++) {
            Permissions permissions = new Permissions((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                    (bits & 16) != 0);
            assertEquals(permissions, Permissions.parse(permissions.toString()));
        }
        assertEquals(new Permissions(true, true, false, true, false), Permissions.parse("rw-u-"));
        assertEquals("r-x-g", new Permissions(true, false, true, false, true).toString());
    }

    @Test
    void parseRejectsWrongLengthAndLettersOutOfPlace() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Permissions.parse("rw")).getMessage().contains("\"rw\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Permissions.parse("wr---")).getMessage()
                .contains("position 0 must be 'r'"));
    }

    @Test
    void userAccessNeedsAUserPageAndSupervisorAccessAKernelPage() {
        Permissions userData = Permissions.parse("rw-u-");
        assertTrue(userData.permits(Access.READ, Privilege.USER));
        assertTrue(userData.permits(Access.WRITE, Privilege.USER));
        assertFalse(userData.permits(Access.EXECUTE, Privilege.USER));
        assertFalse(userData.permits(Access.READ, Privilege.SUPERVISOR));
        Permissions kernelText = Permissions.parse("r-x--");
        assertTrue(kernelText.permits(Access.EXECUTE, Privilege.SUPERVISOR));
        assertFalse(kernelText.permits(Access.WRITE, Privilege.SUPERVISOR));
        assertFalse(kernelText.permits(Access.READ, Privilege.USER));
    }

    @Test
    void aDirectoryCanOnlyTakeRightsAway() {
        Permissions all = Permissions.parse("rwxug");
        assertEquals(Permissions.parse("r--ug"), all.limitedTo(false, false, true));
        assertEquals(Permissions.parse("rwx-g"), all.limitedTo(true, true, false));
        assertEquals(Permissions.parse("r----"), Permissions.parse("r----").limitedTo(true, true, true));
        assertEquals(Permissions.parse("r---g"), Permissions.parse("r----").withGlobal(true));
    }

    @Test
    void translationMovesWithinItsPageAndSpellsItsBits() {
        Translation translation = new Translation(0x1000, Permissions.parse("rw---"), true, true);
        assertEquals(0x1234, translation.plus(0x234).physical());
        assertEquals("0x0000000000001000 rw--- accessed dirty", translation.toString());
        assertEquals("0x0000000000001000 rw---", new Translation(0x1000, Permissions.parse("rw---"), false, false).toString());
    }
}

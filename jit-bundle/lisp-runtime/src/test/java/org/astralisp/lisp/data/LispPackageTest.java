package org.astralisp.lisp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LispPackageTest {

    private final PackageRegistry packages = new PackageRegistry();

    @Test
    void internReturnsTheSameSymbolForTheSameName() {
        LispPackage user = packages.commonLispUser();
        Symbol foo = user.intern("FOO");
        assertSame(foo, user.intern("FOO"));
        assertSame(user, foo.homePackage());
        assertEquals(new LispPackage.Lookup(foo, LispPackage.Status.INTERNAL), user.findSymbol("FOO"));
    }

    @Test
    void commonLispUserInheritsTheExternalSymbolsOfCommonLisp() {
        LispPackage.Lookup nil = packages.commonLispUser().findSymbol("NIL");
        assertSame(Lisp.NIL, nil.symbol());
        assertEquals(LispPackage.Status.INHERITED, nil.status());
        assertSame(Lisp.NIL, packages.commonLispUser().intern("NIL"));
    }

    @Test
    void findSymbolOfAnUnknownNameIsNull() {
        assertNull(packages.commonLispUser().findSymbol("NO-SUCH-SYMBOL-HERE"));
    }

    @Test
    void exportMakesASymbolExternalAndOnlyPresentSymbolsCanBeExported() {
        LispPackage p = packages.register(new LispPackage("P1", Set.of()));
        Symbol a = p.intern("A");
        p.export(a);
        assertEquals(LispPackage.Status.EXTERNAL, p.findSymbol("A").status());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.export(Lisp.T));
        assertEquals("symbol COMMON-LISP::T is not present in package P1", e.getMessage());
    }

    @Test
    void keywordsAreExternalInTheKeywordPackage() {
        Symbol k = packages.keyword("TEST");
        assertTrue(k.isKeyword());
        assertEquals(LispPackage.Status.EXTERNAL, packages.keyword().findSymbol("TEST").status());
    }

    @Test
    void packagesAreFoundByNameAndNickname() {
        assertSame(Lisp.COMMON_LISP, packages.find("CL"));
        assertSame(packages.commonLispUser(), packages.find("CL-USER"));
        assertSame(packages.commonLispUser(), packages.find("COMMON-LISP-USER"));
        assertNull(packages.find("NOPE"));
    }

    @Test
    void registeringADuplicateNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> packages.register(new LispPackage("X", Set.of("CL"))));
        assertEquals("a package named CL already exists", e.getMessage());
        assertNull(packages.find("X"));
    }
}

package org.astralisp.lisp.printer;

import static org.astralisp.lisp.data.Lisp.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.Lisp;
import org.astralisp.lisp.data.LispCharacter;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.data.Ratio;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;
import org.astralisp.lisp.reader.LispReader;
import org.astralisp.lisp.reader.ReaderSettings;
import org.junit.jupiter.api.Test;

class PrinterTest {

    private final PackageRegistry packages = new PackageRegistry();
    private final LispPackage user = packages.commonLispUser();
    private final PrintSettings prin1 = PrintSettings.prin1(user);

    private String print(PrintSettings settings, Object o) {
        return new LispPrinter(settings).print(o);
    }

    private String prin1(Object o) {
        return LispPrinter.prin1(o, user);
    }

    private String princ(Object o) {
        return LispPrinter.princ(o, user);
    }

    @Test
    void integersInThePrintBaseWithOptionalRadix() {
        assertEquals("255", prin1(255L));
        assertEquals("FF", print(prin1.withBase(16, false), 255L));
        assertEquals("#xFF", print(prin1.withBase(16, true), 255L));
        assertEquals("#b101", print(prin1.withBase(2, true), 5L));
        assertEquals("#o17", print(prin1.withBase(8, true), 15L));
        assertEquals("#3r12", print(prin1.withBase(3, true), 5L));
        assertEquals("10.", print(prin1.withBase(10, true), 10L));
        assertEquals("123456789012345678901234567890", prin1(new BigInteger("123456789012345678901234567890")));
    }

    @Test
    void ratios() {
        assertEquals("-2/3", prin1(new Ratio(BigInteger.valueOf(-2), BigInteger.valueOf(3))));
        assertEquals("#x1/A", print(prin1.withBase(16, true), new Ratio(BigInteger.ONE, BigInteger.TEN)));
    }

    @Test
    void floatsUseAnExponentMarkerOnlyWhenNotTheDefaultFormat() {
        assertEquals("1.0", prin1(1.0f));
        assertEquals("1.0d0", prin1(1.0d));
        assertEquals("1.0e10", prin1(1.0e10f));
        assertEquals("1.5d-7", prin1(1.5e-7d));
        PrintSettings doubles = prin1.withReadDefaultFloatFormat(FloatFormat.DOUBLE_FLOAT);
        assertEquals("1.0", print(doubles, 1.0d));
        assertEquals("1.0f0", print(doubles, 1.0f));
    }

    @Test
    void nonFiniteFloatsAreUnreadable() {
        assertEquals("#<SINGLE-FLOAT Infinity>", prin1(Float.POSITIVE_INFINITY));
        assertThrows(PrintNotReadable.class, () -> print(prin1.withReadably(true), Double.NaN));
    }

    @Test
    void charactersAndStringsEscapedOnlyByPrin1() {
        assertEquals("#\\a", prin1(new LispCharacter('a')));
        assertEquals("#\\Space", prin1(new LispCharacter(' ')));
        assertEquals("#\\Newline", prin1(new LispCharacter('\n')));
        assertEquals("a", princ(new LispCharacter('a')));
        assertEquals("\"a\\\"b\\\\c\"", prin1("a\"b\\c"));
        assertEquals("a\"b\\c", princ("a\"b\\c"));
    }

    @Test
    void symbolsAreEscapedWhenTheyWouldNotReadBack() {
        assertEquals("FOO", prin1(user.intern("FOO")));
        assertEquals("|foo|", prin1(user.intern("foo")));
        assertEquals("|A B|", prin1(user.intern("A B")));
        assertEquals("|12|", prin1(user.intern("12")));
        assertEquals("|1/2|", prin1(user.intern("1/2")));
        assertEquals("|..|", prin1(user.intern("..")));
        assertEquals("||", prin1(user.intern("")));
        assertEquals("|a\\|b\\\\|", prin1(user.intern("a|b\\")));
        assertEquals("|#A|", prin1(user.intern("#A")));
        assertEquals("A#", prin1(user.intern("A#")));
        assertEquals("foo", princ(user.intern("foo")));
    }

    @Test
    void packagePrefixesWhenNotAccessible() {
        LispPackage other = packages.register(new LispPackage("OTHER", Set.of()));
        Symbol external = other.internExternal("EXT");
        Symbol internal = other.intern("INT");
        assertEquals("OTHER:EXT", prin1(external));
        assertEquals("OTHER::INT", prin1(internal));
        assertEquals("EXT", princ(external));
        assertEquals("QUOTE", prin1(Lisp.QUOTE));
        assertEquals(":KEY", prin1(packages.keyword("KEY")));
        assertEquals("KEY", princ(packages.keyword("KEY")));
        assertEquals("#:G1", prin1(Symbol.uninterned("G1")));
        assertEquals("COMMON-LISP:NIL", print(PrintSettings.prin1(other), Lisp.NIL));
    }

    @Test
    void printCaseAppliesToUnescapedNames() {
        Symbol s = user.intern("HELLO-WORLD");
        assertEquals("hello-world", print(prin1.withCase(PrintCase.DOWNCASE), s));
        assertEquals("Hello-World", print(prin1.withCase(PrintCase.CAPITALIZE), s));
        assertEquals("|hello|", print(prin1.withCase(PrintCase.CAPITALIZE), user.intern("hello")));
    }

    @Test
    void listsDottedPairsAndAbbreviations() {
        assertEquals("(1 2 3)", prin1(list(1L, 2L, 3L)));
        assertEquals("(1 . 2)", prin1(new Cons(1L, 2L)));
        assertEquals("(1 2 . 3)", prin1(Lisp.listStar(3L, 1L, 2L)));
        assertEquals("NIL", prin1(Lisp.NIL));
        assertEquals("'X", prin1(list(Lisp.QUOTE, user.intern("X"))));
        assertEquals("#'F", prin1(list(Lisp.FUNCTION, user.intern("F"))));
        assertEquals("(QUOTE X Y)", prin1(list(Lisp.QUOTE, user.intern("X"), user.intern("Y"))));
        assertEquals("`(A ,B ,@C)", prin1(list(Lisp.QUASIQUOTE, list(user.intern("A"),
                list(Lisp.UNQUOTE, user.intern("B")), list(Lisp.UNQUOTE_SPLICING, user.intern("C"))))));
        assertEquals("(ASTRALISP-SYSTEM:UNQUOTE B)", prin1(list(Lisp.UNQUOTE, user.intern("B"))));
    }

    @Test
    void vectors() {
        assertEquals("#(1 \"a\" #\\b)", prin1(new SimpleVector(List.of(1L, "a", new LispCharacter('b')))));
        assertEquals("#()", prin1(new SimpleVector(List.of())));
    }

    @Test
    void printLengthAndLevelAbbreviate() {
        Object nested = list(1L, list(2L, list(3L, list(4L))), 5L, 6L);
        assertEquals("(1 (2 #) 5 ...)", print(prin1.withLimits(3, 2), nested));
        assertEquals("#", print(prin1.withLimits(PrintSettings.NO_LIMIT, 0), nested));
        assertEquals("#(1 2 ...)", print(prin1.withLimits(2, PrintSettings.NO_LIMIT),
                new SimpleVector(List.of(1L, 2L, 3L))));
        assertEquals("(1 #)", print(prin1.withLimits(PrintSettings.NO_LIMIT, 1), list(1L, new SimpleVector(List.of(2L)))));
    }

    @Test
    void printReadablyIgnoresLengthLevelAndEscape() {
        Object nested = list(1L, list(2L), "s");
        assertEquals("(1 (2) \"s\")", print(prin1.withLimits(1, 1).withEscape(false).withReadably(true), nested));
    }

    @Test
    void printsWhatTheReaderReadAsDocumentedInLispMd() {
        Object form = new LispReader(ReaderSettings.standard(packages)).readOne("(defun f (n) `(a ,n #\\Space 1/2 1.5d0))");
        assertEquals("(DEFUN F (N) `(A ,N #\\Space 1/2 1.5d0))", prin1(form));
    }

    @Test
    void otherObjectsAreUnreadable() {
        assertEquals("#<JAVA-OBJECT java.lang.Object>", prin1(new Object()));
        PrintNotReadable e = assertThrows(PrintNotReadable.class, () -> print(prin1.withReadably(true), new Object()));
        assertEquals("cannot print readably: JAVA-OBJECT java.lang.Object", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> prin1(null));
    }
}

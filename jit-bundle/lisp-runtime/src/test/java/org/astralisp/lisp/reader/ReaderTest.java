package org.astralisp.lisp.reader;

import static org.astralisp.lisp.data.Lisp.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.astralisp.lisp.StructuralEquality;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.Lisp;
import org.astralisp.lisp.data.LispCharacter;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.data.Ratio;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;
import org.junit.jupiter.api.Test;

class ReaderTest {

    private final PackageRegistry packages = new PackageRegistry();
    private final ReaderSettings standard = ReaderSettings.standard(packages);

    private Object read(String text) {
        return read(standard, text);
    }

    private static Object read(ReaderSettings settings, String text) {
        return new LispReader(settings).readOne(text);
    }

    private Symbol user(String name) {
        return packages.commonLispUser().intern(name);
    }

    private void assertReads(Object expected, String text) {
        Object actual = read(text);
        assertTrue(StructuralEquality.same(expected, actual), () -> text + " read as something else");
    }

    @Test
    void integersBecomeLongsOrBigIntegers() {
        assertEquals(42L, read("42"));
        assertEquals(-7L, read("-7"));
        assertEquals(5L, read("+5"));
        assertEquals(new BigInteger("123456789012345678901234567890"), read("123456789012345678901234567890"));
    }

    @Test
    void aTrailingDecimalPointMeansDecimalWhateverTheReadBase() {
        assertEquals(10L, read(standard.withReadBase(2), "10."));
        assertEquals(2L, read(standard.withReadBase(2), "10"));
    }

    @Test
    void theReadBaseMakesLettersDigits() {
        assertEquals(0x1E5L, read(standard.withReadBase(16), "1E5"));
        assertEquals(255L, read(standard.withReadBase(16), "ff"));
    }

    @Test
    void ratiosAreNormalised() {
        assertEquals(new Ratio(BigInteger.ONE, BigInteger.TWO), read("2/4"));
        assertEquals(2L, read("4/2"));
        assertEquals(new Ratio(BigInteger.valueOf(-1), BigInteger.valueOf(3)), read("-1/3"));
    }

    @Test
    void floatsFollowTheExponentMarkersAndTheDefaultFormat() {
        assertEquals(1.5f, read("1.5"));
        assertEquals(1.0e10f, read("1e10"));
        assertEquals(2.5d, read("2.5d0"));
        assertEquals(2.5d, read("2.5L0"));
        assertEquals(0.5f, read(".5"));
        assertEquals(1.0e-3f, read("1f-3"));
        assertEquals(3.0f, read("3.s0"));
        assertEquals(1.5d, read(standard.withDefaultFloatFormat(FloatFormat.DOUBLE_FLOAT), "1.5"));
        assertEquals(1.5d, read(standard.withDefaultFloatFormat(FloatFormat.DOUBLE_FLOAT), "1.5e0"));
    }

    @Test
    void potentialNumbersThatAreNotNumbersAreSymbols() {
        assertSame(user("1+"), read("1+"));
        assertSame(user("+"), read("+"));
        assertSame(user("1.2.3"), read("1.2.3"));
    }

    @Test
    void symbolsAreUpcasedAndInternedInTheCurrentPackage() {
        assertSame(user("FOO"), read("foo"));
        assertSame(user("FOO"), read("FoO"));
    }

    @Test
    void escapesPreserveCaseAndSyntax() {
        assertEquals("foo", ((Symbol) read("|foo|")).name());
        assertEquals("A(B", ((Symbol) read("a\\(b")).name());
        assertEquals("A(b", ((Symbol) read("a\\(\\b")).name());
        assertEquals("A b|C", ((Symbol) read("a| b\\||c")).name());
        assertEquals("123", ((Symbol) read("|123|")).name());
        assertEquals("", ((Symbol) read("||")).name());
    }

    @Test
    void packagePrefixesFindExternalAndInternalSymbols() {
        assertSame(Lisp.QUOTE, read("cl:quote"));
        assertSame(Lisp.QUOTE, read("common-lisp::quote"));
        Symbol internal = read("cl-user::zork") instanceof Symbol s ? s : null;
        assertSame(user("ZORK"), internal);
        assertSame(Lisp.NIL, read("cl-user::nil"));
    }

    @Test
    void keywordsReadWithALeadingColonOrTheKeywordPrefix() {
        Symbol k = (Symbol) read(":test");
        assertTrue(k.isKeyword());
        assertSame(k, read("keyword:test"));
    }

    @Test
    void anEscapedEmptyNameAfterAPackageMarkerIsAValidSymbol() {
        Symbol empty = (Symbol) read(":||");
        assertTrue(empty.isKeyword());
        assertEquals("", empty.name());
        assertSame(user(""), read("cl-user::||"));
    }

    @Test
    void nilIsTheEmptyList() {
        assertSame(Lisp.NIL, read("()"));
        assertSame(Lisp.NIL, read("nil"));
    }

    @Test
    void listsAndDottedPairs() {
        assertReads(list(1L, 2L, 3L), "(1 2 3)");
        assertReads(new Cons(1L, 2L), "(1 . 2)");
        assertReads(Lisp.listStar(3L, 1L, 2L), "(1 2 . 3)");
        assertReads(list(1L, 2L), "(1 . (2))");
        assertReads(list(user("A"), list(user("B"))), "(a (b))");
        assertSame(user(".A"), read(".a"));
    }

    @Test
    void quoteAndFunctionAbbreviations() {
        assertReads(list(Lisp.QUOTE, user("X")), "'x");
        assertReads(list(Lisp.FUNCTION, user("CAR")), "#'car");
    }

    @Test
    void backquoteReadsAsSystemForms() {
        assertReads(list(Lisp.QUASIQUOTE, list(user("A"), list(Lisp.UNQUOTE, user("B")),
                list(Lisp.UNQUOTE_SPLICING, user("C")))), "`(a ,b ,@c)");
    }

    @Test
    void commentsAreSkipped() {
        assertReads(list(1L, 2L), "(1 ; one\n 2) ; end");
        assertReads(list(1L, 2L), "(1 #| a #| nested |# comment |# 2)");
        assertEquals(List.of(), new LispReader(standard).readAll("; only a comment\n#| and |#"));
    }

    @Test
    void stringsWithEscapes() {
        assertEquals("a\"b\\c", read("\"a\\\"b\\\\c\""));
        assertEquals("xy", read("\"\\x\\y\""));
        assertEquals("line\nbreak", read("\"line\nbreak\""));
    }

    @Test
    void charactersByThemselvesAndByName() {
        assertEquals(new LispCharacter('a'), read("#\\a"));
        assertEquals(new LispCharacter('A'), read("#\\A"));
        assertEquals(new LispCharacter(' '), read("#\\Space"));
        assertEquals(new LispCharacter('\n'), read("#\\newline"));
        assertEquals(new LispCharacter('\t'), read("#\\Tab"));
        assertEquals(new LispCharacter('('), read("#\\("));
        assertEquals(new LispCharacter(' '), read("#\\ "));
        assertReads(list(new LispCharacter(')'), new LispCharacter('x')), "(#\\) #\\x)");
    }

    @Test
    void simpleVectors() {
        assertReads(new SimpleVector(List.of(1L, user("A"), "s")), "#(1 a \"s\")");
        assertReads(new SimpleVector(List.of()), "#()");
        assertReads(new SimpleVector(List.of(user("A"), user("B"), user("B"))), "#3(a b)");
    }

    @Test
    void radixRationals() {
        assertEquals(255L, read("#xFF"));
        assertEquals(-5L, read("#b-101"));
        assertEquals(8L, read("#o10"));
        assertEquals(35L, read("#36rZ"));
        assertEquals(new Ratio(BigInteger.ONE, BigInteger.TWO), read("#x1/2"));
    }

    @Test
    void featureExpressionsSelectForms() {
        assertReads(list(1L, 3L), "(1 #+astralisp 3)");
        assertReads(list(1L), "(1 #-astralisp 3)");
        assertReads(list(2L), "(#+(and astralisp (not sbcl)) 2 #+(or sbcl ccl) 3)");
        assertReads(list(1L), "(#+nope (unknown-pkg:x #.(boom)) 1)");
    }

    @Test
    void uninternedSymbolsAreFresh() {
        Symbol a = (Symbol) read("#:foo");
        assertEquals("FOO", a.name());
        assertNull(a.homePackage());
        assertNotSame(a, read("#:foo"));
    }

    @Test
    void sharpDotCallsTheInstalledEvaluator() {
        ReaderSettings withEvaluator = standard.withEvaluator(form -> List.of("evaluated", form).toString());
        assertEquals("[evaluated, 42]", read(withEvaluator, "#.42"));
    }

    @Test
    void readReturnsTheEofValueAtEndOfInput() {
        Object eof = new Object();
        SourceText source = new SourceText(" 1  ");
        LispReader reader = new LispReader(standard);
        assertEquals(1L, reader.read(source, eof));
        assertSame(eof, reader.read(source, eof));
    }

    @Test
    void symbolsReadInAnotherCurrentPackage() {
        LispPackage p = packages.register(new LispPackage("OTHER", java.util.Set.of()));
        Symbol s = (Symbol) read(standard.withCurrentPackage(p), "car");
        assertSame(p, s.homePackage());
    }
}

package org.astralisp.lisp.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.astralisp.lisp.data.PackageRegistry;
import org.junit.jupiter.api.Test;

/** Each reader error names what was wrong and where (line and column from 1). */
class ReaderErrorTest {

    private final ReaderSettings standard = ReaderSettings.standard(new PackageRegistry());

    private ReaderError error(ReaderSettings settings, String text) {
        return assertThrows(ReaderError.class, () -> new LispReader(settings).readAll(text));
    }

    private void assertError(ReaderError.Kind kind, String message, String text) {
        assertError(standard, kind, message, text);
    }

    private void assertError(ReaderSettings settings, ReaderError.Kind kind, String message, String text) {
        ReaderError e = error(settings, text);
        assertEquals(kind, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void unbalancedCloseParenthesis() {
        assertError(ReaderError.Kind.UNBALANCED_CLOSE_PARENTHESIS, "line 2, column 4: unmatched ')'", "(a b)\n(c))");
    }

    @Test
    void endOfInputInsideAListPointsAtItsOpening() {
        ReaderError e = error(standard, "(a\n  (b c)\n  (d");
        assertEquals(3, e.line());
        assertEquals(3, e.column());
        assertEquals("end of input inside a list", e.detail());
    }

    @Test
    void endOfInputInsideAStringOrComment() {
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 4: end of input inside a string", "(a \"bc");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input inside #|...|# comment", "#| #| |#");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input inside a vector", "#(1 2");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input after quote '", "'");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input inside |...| in a token", "|abc");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input after \\ in a token", "ab\\");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input after #", "#");
        assertError(ReaderError.Kind.END_OF_INPUT, "line 1, column 1: end of input after #\\", "#\\");
    }

    @Test
    void unknownDispatchCharacter() {
        assertError(ReaderError.Kind.UNKNOWN_DISPATCH_CHARACTER, "line 1, column 4: unknown # dispatch character 'z'", "(a #z)");
        assertError(ReaderError.Kind.UNKNOWN_DISPATCH_CHARACTER, "line 1, column 1: unknown # dispatch character '<'", "#<foo>");
    }

    @Test
    void badTokens() {
        assertError(ReaderError.Kind.BAD_NUMBER, "line 1, column 1: bad number \"1/0\": division by zero: 1/0", "1/0");
        assertError(ReaderError.Kind.BAD_TOKEN,
                "line 1, column 1: no symbol name after the package marker in \"CL:\"", "cl:");
        assertError(ReaderError.Kind.BAD_TOKEN, "line 1, column 1: too many package markers in \":A:B\"", ":a:b");
        assertError(ReaderError.Kind.BAD_TOKEN, "line 1, column 1: \"::\" without a package name in \"::A\"", "::a");
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 2: a token of only dots \"..\" is not allowed", "(.. a)");
        assertError(ReaderError.Kind.BAD_NUMBER,
                "line 1, column 1: bad number \"1E39\": floating-point overflow reading 1E39 as a single-float", "1e39");
    }

    @Test
    void packageErrors() {
        assertError(ReaderError.Kind.SYMBOL_NOT_EXTERNAL,
                "line 1, column 1: symbol FROBNICATE is not external in package COMMON-LISP", "cl:frobnicate");
        assertError(ReaderError.Kind.UNKNOWN_PACKAGE, "line 1, column 2: no package named NOPE", "(nope:x)");
    }

    @Test
    void dotContextErrors() {
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 3: no object before the consing dot", "( . a)");
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 8: more than one object after the consing dot", "(a . b c)");
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 4: no object after the consing dot", "(a . )");
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 1: consing dot outside a list", ". a");
        assertError(ReaderError.Kind.DOT_CONTEXT, "line 1, column 5: consing dot inside a vector", "#(a . b)");
    }

    @Test
    void commaOutsideBackquote() {
        assertError(ReaderError.Kind.COMMA_OUTSIDE_BACKQUOTE, "line 1, column 4: comma not inside a backquote", "(a ,b)");
        assertError(ReaderError.Kind.COMMA_OUTSIDE_BACKQUOTE, "line 1, column 6: comma not inside a backquote", "`(a ,,b)");
    }

    @Test
    void unknownCharacterName() {
        assertError(ReaderError.Kind.UNKNOWN_CHARACTER_NAME, "line 1, column 1: unknown character name Spac", "#\\Spac");
    }

    @Test
    void badRadixNumbers() {
        assertError(ReaderError.Kind.BAD_NUMBER, "line 1, column 1: \"G\" after #x is not a rational in base 16", "#xg");
        assertError(ReaderError.Kind.BAD_NUMBER, "line 1, column 1: #r needs a radix from 2 to 36, as in #16r1F, not 37", "#37r1");
        assertError(ReaderError.Kind.BAD_NUMBER, "line 1, column 1: #r needs a radix from 2 to 36, as in #16r1F", "#r1");
        assertError(ReaderError.Kind.BAD_NUMBER, "line 1, column 1: #x1/0: division by zero: 1/0", "#x1/0");
    }

    @Test
    void readEvalFalseRefusesSharpDot() {
        assertError(standard.withReadEval(false), ReaderError.Kind.READ_EVAL_DISABLED,
                "line 1, column 1: #. while *read-eval* is false", "#.(+ 1 2)");
    }

    @Test
    void sharpDotWithoutAnEvaluatorIsAnError() {
        assertError(ReaderError.Kind.NO_EVALUATOR, "line 1, column 1: #. needs an evaluator and none is installed", "#.(+ 1 2)");
    }

    @Test
    void badFeatureExpressions() {
        assertError(ReaderError.Kind.BAD_FEATURE_EXPRESSION,
                "line 1, column 1: bad feature expression: expected a symbol, (:and ...), (:or ...) or (:not x)", "#+(xor a) 1");
        assertError(ReaderError.Kind.BAD_FEATURE_EXPRESSION,
                "line 1, column 1: bad feature expression: expected a symbol, (:and ...), (:or ...) or (:not x)", "#+(not a b) 1");
        assertError(ReaderError.Kind.BAD_FEATURE_EXPRESSION, "line 1, column 1: bad feature expression: a dotted list",
                "#+(and . a) 1");
    }

    @Test
    void vectorLengthErrors() {
        assertError(ReaderError.Kind.BAD_TOKEN, "line 1, column 1: #1( with 2 elements: the length must be at least the "
                + "element count, at most 1048576, and elements are needed to fill it", "#1(a b)");
    }

    @Test
    void uninternedSymbolWithAPackageMarker() {
        assertError(ReaderError.Kind.BAD_TOKEN, "line 1, column 1: package marker in the uninterned symbol #:A:B", "#:a:b");
    }

    @Test
    void nestingBeyondTheLimitIsAReaderError() {
        String deep = "(".repeat(LispReader.MAX_DEPTH + 1);
        assertError(ReaderError.Kind.NESTING_TOO_DEEP, "line 1, column 1001: nesting deeper than 1000", deep);
    }

    @Test
    void readOneOfEmptyInputIsEndOfInput() {
        ReaderError e = assertThrows(ReaderError.class, () -> new LispReader(standard).readOne("  \n "));
        assertEquals("line 2, column 2: end of input where an object was expected", e.getMessage());
    }
}

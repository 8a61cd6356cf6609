package org.astralisp.lisp.reader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.Lisp;
import org.astralisp.lisp.data.LispCharacter;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;

/**
 * The standard {@code #} dispatching macro character (CLHS 2.4.8): an optional decimal argument, then the
 * sub-character (case-insensitive). Positions in errors are those of the {@code #}.
 */
final class SharpsignMacros {

    /** The longest vector {@code #n(} makes: a larger {@code n} is a reader error, not an out-of-memory error. */
    static final int MAX_VECTOR_LENGTH = 1 << 20;
    private static final int ABSENT = -1;

    private final LispReader reader;

    SharpsignMacros(LispReader reader) {
        this.reader = reader;
    }

    Object read(int line, int column) {
        SourceText in = reader.in();
        long argument = ABSENT;
        while (in.peek() >= '0' && in.peek() <= '9') {
            int digit = in.next() - '0';
            argument = Math.min((argument == ABSENT ? 0 : argument) * 10 + digit, Integer.MAX_VALUE);
        }
        int sub = in.next();
        if (sub == SourceText.EOF) {
            throw LispReader.error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input after #");
        }
        return switch (Character.toLowerCase(sub)) {
            case '\'' -> Lisp.list(Lisp.FUNCTION, reader.readObjectAfter("#'", line, column));
            case '(' -> vector((int) argument, line, column);
            case '\\' -> character(line, column);
            case 'b' -> rational(2, "#b", line, column);
            case 'o' -> rational(8, "#o", line, column);
            case 'x' -> rational(16, "#x", line, column);
            case 'r' -> radix(argument, line, column);
            case '|' -> blockComment(line, column);
            case '+' -> feature(true, line, column);
            case '-' -> feature(false, line, column);
            case '.' -> readTimeEvaluation(line, column);
            case ':' -> uninterned(line, column);
            default -> throw LispReader.error(ReaderError.Kind.UNKNOWN_DISPATCH_CHARACTER, line, column,
                    "unknown # dispatch character '" + Character.toString(sub) + "'");
        };
    }

    /** CLHS 2.4.8.3 Sharpsign Left-Parenthesis: with {@code n}, the last element fills the rest. */
    private Object vector(int length, int line, int column) {
        List<Object> items = reader.readVectorElements(line, column);
        if (reader.suppressing()) {
            return Lisp.NIL;
        }
        if (length == ABSENT) {
            return new SimpleVector(items);
        }
        if (length > MAX_VECTOR_LENGTH || items.size() > length || (items.isEmpty() && length > 0)) {
            throw LispReader.error(ReaderError.Kind.BAD_TOKEN, line, column, "#" + length + "( with " + items.size()
                    + " elements: the length must be at least the element count, at most " + MAX_VECTOR_LENGTH
                    + ", and elements are needed to fill it");
        }
        List<Object> filled = new ArrayList<>(items);
        filled.addAll(Collections.nCopies(length - items.size(), items.isEmpty() ? Lisp.NIL : items.getLast()));
        return new SimpleVector(filled);
    }

    /** CLHS 2.4.8.1 Sharpsign Backslash: one character, or a character name (CLHS 13.1.7). */
    private Object character(int line, int column) {
        SourceText in = reader.in();
        int first = in.next();
        if (first == SourceText.EOF) {
            throw LispReader.error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input after #\\");
        }
        if (in.peek() == SourceText.EOF || SyntaxType.endsToken(in.peek())) {
            return reader.suppressing() ? Lisp.NIL : new LispCharacter(first);
        }
        String name = reader.readToken(Character.toString(first), line, column, false).text();
        if (reader.suppressing()) {
            return Lisp.NIL;
        }
        if (name.codePointCount(0, name.length()) == 1) {
            return new LispCharacter(name.codePointAt(0));
        }
        LispCharacter named = LispCharacter.named(name);
        if (named == null) {
            throw LispReader.error(ReaderError.Kind.UNKNOWN_CHARACTER_NAME, line, column, "unknown character name " + name);
        }
        return named;
    }

    /** CLHS 2.4.8.10 Sharpsign R. */
    private Object radix(long base, int line, int column) {
        if (base < 2 || base > 36) {
            throw LispReader.error(ReaderError.Kind.BAD_NUMBER, line, column,
                    "#r needs a radix from 2 to 36, as in #16r1F" + (base == ABSENT ? "" : ", not " + base));
        }
        return rational((int) base, "#" + base + "r", line, column);
    }

    /** CLHS 2.4.8.7-2.4.8.9: a rational in {@code base}. */
    private Object rational(int base, String what, int line, int column) {
        Token token = reader.readToken("", line, column, true);
        if (reader.suppressing()) {
            return Lisp.NIL;
        }
        try {
            Object value = token.hasEscapes() ? NumberSyntax.NOT_A_NUMBER : NumberSyntax.parseRational(token.text(), base);
            if (value != NumberSyntax.NOT_A_NUMBER) {
                return value;
            }
        } catch (ArithmeticException e) {
            throw LispReader.error(ReaderError.Kind.BAD_NUMBER, line, column, what + token.text() + ": " + e.getMessage());
        }
        throw LispReader.error(ReaderError.Kind.BAD_NUMBER, line, column,
                "\"" + token.text() + "\" after " + what + " is not a rational in base " + base);
    }

    /** CLHS 2.4.8.19 Sharpsign Vertical-Bar: a comment, nested. */
    private Object blockComment(int line, int column) {
        SourceText in = reader.in();
        int nesting = 1;
        int previous = 0;
        while (nesting > 0) {
            int c = in.next();
            if (c == SourceText.EOF) {
                throw LispReader.error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input inside #|...|# comment");
            }
            if (previous == '|' && c == '#') {
                nesting--;
                c = 0;
            } else if (previous == '#' && c == '|') {
                nesting++;
                c = 0;
            }
            previous = c;
        }
        return LispReader.NO_VALUE;
    }

    /** CLHS 2.4.8.17-18 Sharpsign Plus and Minus; the expression is read in the KEYWORD package (24.1.2.1). */
    private Object feature(boolean plus, int line, int column) {
        String what = plus ? "#+" : "#-";
        ReaderSettings settings = reader.settings();
        Object expression = reader.readWith(new TokenInterpreter(settings.withCurrentPackage(settings.packages().keyword())),
                what, line, column);
        if (!reader.suppressing() && holds(expression, line, column) == plus) {
            return reader.readObjectAfter(what + " feature expression", line, column);
        }
        reader.readSuppressed(what + " feature expression", line, column);
        return LispReader.NO_VALUE;
    }

    /** CLHS 24.1.2.1 Feature Expressions. */
    private boolean holds(Object expression, int line, int column) {
        if (expression instanceof Symbol s) {
            return reader.settings().features().contains(s);
        }
        if (expression instanceof Cons c && c.car() instanceof Symbol op && op.isKeyword()) {
            List<Object> args = properList(c.cdr(), line, column);
            switch (op.name()) {
                case "AND" -> {
                    return args.stream().allMatch(a -> holds(a, line, column));
                }
                case "OR" -> {
                    return args.stream().anyMatch(a -> holds(a, line, column));
                }
                case "NOT" -> {
                    if (args.size() == 1) {
                        return !holds(args.getFirst(), line, column);
                    }
                }
                default -> {
                }
            }
        }
        throw LispReader.error(ReaderError.Kind.BAD_FEATURE_EXPRESSION, line, column,
                "bad feature expression: expected a symbol, (:and ...), (:or ...) or (:not x)");
    }

    private static List<Object> properList(Object list, int line, int column) {
        List<Object> items = new ArrayList<>();
        Object rest = list;
        while (rest instanceof Cons c) {
            items.add(c.car());
            rest = c.cdr();
        }
        if (rest != Lisp.NIL) {
            throw LispReader.error(ReaderError.Kind.BAD_FEATURE_EXPRESSION, line, column,
                    "bad feature expression: a dotted list");
        }
        return items;
    }

    /** CLHS 2.4.8.6 Sharpsign Dot, refused unless {@code *read-eval*} is true and an evaluator is installed. */
    private Object readTimeEvaluation(int line, int column) {
        if (reader.suppressing()) {
            reader.readObjectAfter("#.", line, column);
            return Lisp.NIL;
        }
        ReaderSettings settings = reader.settings();
        if (!settings.readEval()) {
            throw LispReader.error(ReaderError.Kind.READ_EVAL_DISABLED, line, column, "#. while *read-eval* is false");
        }
        Object form = reader.readObjectAfter("#.", line, column);
        if (settings.evaluator() == null) {
            throw LispReader.error(ReaderError.Kind.NO_EVALUATOR, line, column, "#. needs an evaluator and none is installed");
        }
        return settings.evaluator().evaluate(form);
    }

    /** CLHS 2.4.8.5 Sharpsign Colon: a new uninterned symbol. */
    private Object uninterned(int line, int column) {
        Token token = reader.readToken("", line, column, true);
        if (reader.suppressing()) {
            return Lisp.NIL;
        }
        if (token.indexOfUnescaped(':', 0) >= 0) {
            throw LispReader.error(ReaderError.Kind.BAD_TOKEN, line, column,
                    "package marker in the uninterned symbol #:" + token.text());
        }
        return Symbol.uninterned(token.text());
    }
}

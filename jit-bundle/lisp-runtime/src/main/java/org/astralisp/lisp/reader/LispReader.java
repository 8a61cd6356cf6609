package org.astralisp.lisp.reader;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.astralisp.lisp.data.Lisp;

/**
 * The Lisp reader with the standard readtable (CLHS 2.2 Reader Algorithm, 2.4 Standard Macro Characters).
 * The {@code #} dispatching macro character is {@link SharpsignMacros}.
 *
 * <p>One reader reads one source at a time; it is not thread-safe. Nesting deeper than {@link #MAX_DEPTH}
 * is the reader error {@link ReaderError.Kind#NESTING_TOO_DEEP}, so that no input exhausts the Java stack.
 */
public final class LispReader {

    /** The deepest nesting of lists, vectors and prefixes read. */
    public static final int MAX_DEPTH = 1000;

    /** A macro character function that returned no value (CLHS 2.2 step 4: comments, false {@code #+}). */
    static final Object NO_VALUE = new Object();
    /** A token consisting of a single unescaped dot: only valid as a list's consing dot (CLHS 2.4.1). */
    static final Object CONSING_DOT = new Object();
    private static final Object END = new Object();

    private final ReaderSettings settings;
    private final SharpsignMacros sharpsign;
    private TokenInterpreter interpreter;
    private SourceText in;
    private int depth;
    private int backquoteDepth;
    private int suppressDepth;

    public LispReader(ReaderSettings settings) {
        this.settings = settings;
        this.interpreter = new TokenInterpreter(settings);
        this.sharpsign = new SharpsignMacros(this);
    }

    /** CLHS {@code read} with {@code eof-error-p} false: the next object of {@code source}, or {@code eofValue}. */
    public Object read(SourceText source, Object eofValue) {
        in = source;
        depth = 0;
        backquoteDepth = 0;
        suppressDepth = 0;
        while (true) {
            skipWhitespace();
            if (in.peek() == SourceText.EOF) {
                return eofValue;
            }
            int line = in.line();
            int column = in.column();
            Object value = readStartingAt(line, column);
            if (value == CONSING_DOT) {
                throw error(ReaderError.Kind.DOT_CONTEXT, line, column, "consing dot outside a list");
            }
            if (value != NO_VALUE) {
                return value;
            }
        }
    }

    /** Every object in {@code text}, in order. */
    public List<Object> readAll(String text) {
        SourceText source = new SourceText(text);
        List<Object> objects = new ArrayList<>();
        for (Object o = read(source, END); o != END; o = read(source, END)) {
            objects.add(o);
        }
        return objects;
    }

    /** The one object of {@code text}; an error if it holds none. */
    public Object readOne(String text) {
        SourceText source = new SourceText(text);
        Object o = read(source, END);
        if (o == END) {
            throw error(ReaderError.Kind.END_OF_INPUT, source.line(), source.column(), "end of input where an object was expected");
        }
        return o;
    }

    ReaderSettings settings() {
        return settings;
    }

    SourceText in() {
        return in;
    }

    boolean suppressing() {
        return suppressDepth > 0;
    }

    /**
     * Reads the object after a prefix such as {@code '} or {@code #'}, skipping what reads as no value.
     *
     * @param what names the prefix in the end-of-input error, which points at {@code line}/{@code column}
     */
    Object readObjectAfter(String what, int line, int column) {
        while (true) {
            skipWhitespace();
            int c = in.peek();
            if (c == SourceText.EOF) {
                throw error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input after " + what);
            }
            int l = in.line();
            int col = in.column();
            Object value = readStartingAt(l, col);
            if (value == CONSING_DOT) {
                throw error(ReaderError.Kind.DOT_CONTEXT, l, col, "consing dot after " + what);
            }
            if (value != NO_VALUE) {
                return value;
            }
        }
    }

    /** Reads the next object with {@code *read-suppress*} true (CLHS 2.4.8.17). */
    Object readSuppressed(String what, int line, int column) {
        suppressDepth++;
        try {
            return readObjectAfter(what, line, column);
        } finally {
            suppressDepth--;
        }
    }

    /** Reads the next object with tokens interpreted by {@code other} (e.g. {@code *package*} bound to KEYWORD). */
    Object readWith(TokenInterpreter other, String what, int line, int column) {
        TokenInterpreter saved = interpreter;
        interpreter = other;
        try {
            return readObjectAfter(what, line, column);
        } finally {
            interpreter = saved;
        }
    }

    private Object readStartingAt(int line, int column) {
        if (++depth > MAX_DEPTH) {
            throw error(ReaderError.Kind.NESTING_TOO_DEEP, line, column, "nesting deeper than " + MAX_DEPTH);
        }
        try {
            return dispatch(in.peek(), line, column);
        } finally {
            depth--;
        }
    }

    private Object dispatch(int c, int line, int column) {
        switch (c) {
            case '(' -> {
                in.next();
                return readList(line, column);
            }
            case ')' -> throw error(ReaderError.Kind.UNBALANCED_CLOSE_PARENTHESIS, line, column, "unmatched ')'");
            case '\'' -> {
                in.next();
                return Lisp.list(Lisp.QUOTE, readObjectAfter("quote '", line, column));
            }
            case ';' -> {
                skipLineComment();
                return NO_VALUE;
            }
            case '"' -> {
                in.next();
                return readString(line, column);
            }
            case '`' -> {
                in.next();
                return readBackquote(line, column);
            }
            case ',' -> {
                in.next();
                return readComma(line, column);
            }
            case '#' -> {
                in.next();
                return sharpsign.read(line, column);
            }
            default -> {
                Token token = readToken("", line, column, true);
                if (suppressing()) {
                    return Lisp.NIL;
                }
                if (token.text().equals(".") && !token.hasEscapes()) {
                    return CONSING_DOT;
                }
                return interpreter.interpret(token);
            }
        }
    }

    /** CLHS 2.4.1 Left-Parenthesis. */
    private Object readList(int line, int column) {
        List<Object> items = new ArrayList<>();
        while (true) {
            if (atCloseParenthesis("a list", line, column)) {
                return Lisp.list(items);
            }
            int l = in.line();
            int col = in.column();
            Object value = readStartingAt(l, col);
            if (value == CONSING_DOT) {
                if (items.isEmpty()) {
                    throw error(ReaderError.Kind.DOT_CONTEXT, l, col, "no object before the consing dot");
                }
                return Lisp.listStar(readDottedTail(line, column, l, col), items.toArray());
            } else if (value != NO_VALUE) {
                items.add(value);
            }
        }
    }

    /** The one object after a consing dot, then the closing parenthesis. */
    private Object readDottedTail(int listLine, int listColumn, int dotLine, int dotColumn) {
        Object tail = NO_VALUE;
        while (true) {
            if (atCloseParenthesis("a list", listLine, listColumn)) {
                if (tail == NO_VALUE) {
                    throw error(ReaderError.Kind.DOT_CONTEXT, dotLine, dotColumn, "no object after the consing dot");
                }
                return tail;
            }
            int l = in.line();
            int col = in.column();
            Object value = readStartingAt(l, col);
            if (value == CONSING_DOT || (value != NO_VALUE && tail != NO_VALUE)) {
                throw error(ReaderError.Kind.DOT_CONTEXT, l, col, "more than one object after the consing dot");
            }
            if (value != NO_VALUE) {
                tail = value;
            }
        }
    }

    /** The elements up to the closing parenthesis of {@code #(} (CLHS 2.4.8.3). */
    List<Object> readVectorElements(int line, int column) {
        List<Object> items = new ArrayList<>();
        while (!atCloseParenthesis("a vector", line, column)) {
            int l = in.line();
            int col = in.column();
            Object value = readStartingAt(l, col);
            if (value == CONSING_DOT) {
                throw error(ReaderError.Kind.DOT_CONTEXT, l, col, "consing dot inside a vector");
            }
            if (value != NO_VALUE) {
                items.add(value);
            }
        }
        return items;
    }

    /** Skips whitespace; consumes and answers true at {@code )}; end of input is an error naming the opening. */
    private boolean atCloseParenthesis(String inside, int line, int column) {
        skipWhitespace();
        int c = in.peek();
        if (c == SourceText.EOF) {
            throw error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input inside " + inside);
        }
        if (c == ')') {
            in.next();
            return true;
        }
        return false;
    }

    /** CLHS 2.4.5 Double-Quote: {@code \} escapes the next character. */
    private String readString(int line, int column) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.next();
            if (c == '\\') {
                c = in.next();
            } else if (c == '"') {
                return sb.toString();
            }
            if (c == SourceText.EOF) {
                throw error(ReaderError.Kind.END_OF_INPUT, line, column, "end of input inside a string");
            }
            sb.appendCodePoint(c);
        }
    }

    /** CLHS 2.4.6 Backquote, read as {@code (astralisp-system:quasiquote form)} (docs/lisp.md). */
    private Object readBackquote(int line, int column) {
        backquoteDepth++;
        try {
            return Lisp.list(Lisp.QUASIQUOTE, readObjectAfter("backquote `", line, column));
        } finally {
            backquoteDepth--;
        }
    }

    /** CLHS 2.4.7 Comma: {@code ,form} and {@code ,@form}, only inside a backquote. */
    private Object readComma(int line, int column) {
        if (backquoteDepth == 0 && !suppressing()) {
            throw error(ReaderError.Kind.COMMA_OUTSIDE_BACKQUOTE, line, column, "comma not inside a backquote");
        }
        boolean splicing = in.peek() == '@';
        if (splicing) {
            in.next();
        }
        backquoteDepth--;
        try {
            Object form = readObjectAfter(splicing ? "comma-at ,@" : "comma ,", line, column);
            return Lisp.list(splicing ? Lisp.UNQUOTE_SPLICING : Lisp.UNQUOTE, form);
        } finally {
            backquoteDepth++;
        }
    }

    /** CLHS 2.4.4 Semicolon. */
    private void skipLineComment() {
        for (int c = in.next(); c != '\n' && c != SourceText.EOF; c = in.next()) {
            // the comment's characters are discarded
        }
    }

    private void skipWhitespace() {
        while (in.peek() != SourceText.EOF && SyntaxType.of(in.peek()) == SyntaxType.WHITESPACE) {
            in.next();
        }
    }

    /**
     * Accumulates a token (CLHS 2.2 steps 8-10) after {@code prefix}: single and multiple escapes, and
     * unescaped characters upper-cased when {@code upcase} (readtable case {@code :upcase}, CLHS 23.1.2).
     */
    Token readToken(String prefix, int line, int column, boolean upcase) {
        StringBuilder text = new StringBuilder(prefix);
        BitSet escaped = new BitSet();
        BitSet bars = new BitSet();
        boolean multiple = false;
        while (true) {
            int c = in.peek();
            if (!multiple && (c == SourceText.EOF || SyntaxType.endsToken(c))) {
                return new Token(text.toString(), escaped, bars, line, column);
            }
            in.next();
            if (c == '|') {
                bars.set(text.length());
                multiple = !multiple;
            } else if (c == '\\' || multiple) {
                int literal = c == '\\' ? in.next() : c;
                if (literal == SourceText.EOF) {
                    throw error(ReaderError.Kind.END_OF_INPUT, line, column,
                            multiple ? "end of input inside |...| in a token" : "end of input after \\ in a token");
                }
                escaped.set(text.length());
                text.appendCodePoint(literal);
            } else {
                text.appendCodePoint(upcase ? Character.toUpperCase(c) : c);
            }
        }
    }

    static ReaderError error(ReaderError.Kind kind, int line, int column, String detail) {
        return new ReaderError(kind, line, column, detail);
    }
}

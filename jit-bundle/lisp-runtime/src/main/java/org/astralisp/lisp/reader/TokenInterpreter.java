package org.astralisp.lisp.reader;

import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.Symbol;

/**
 * Interprets a token as a number or a symbol (CLHS 2.3): numbers per {@link NumberSyntax} when no character is
 * escaped, otherwise a symbol, with package markers resolved per CLHS 2.3.5.
 */
final class TokenInterpreter {

    private final ReaderSettings settings;

    TokenInterpreter(ReaderSettings settings) {
        this.settings = settings;
    }

    Object interpret(Token token) {
        if (!token.hasEscapes()) {
            Object number = parseNumber(token);
            if (number != NumberSyntax.NOT_A_NUMBER) {
                return number;
            }
            if (token.isAllDots()) {
                throw error(ReaderError.Kind.DOT_CONTEXT, token, "a token of only dots \"" + token.text() + "\" is not allowed");
            }
        }
        return symbol(token);
    }

    private Object parseNumber(Token token) {
        try {
            return NumberSyntax.parse(token.text(), settings.readBase(), settings.defaultFloatFormat());
        } catch (ArithmeticException e) {
            throw error(ReaderError.Kind.BAD_NUMBER, token, "bad number \"" + token.text() + "\": " + e.getMessage());
        }
    }

    /** CLHS 2.3.5 Valid Patterns for Tokens. */
    private Symbol symbol(Token token) {
        String text = token.text();
        int colon = token.indexOfUnescaped(':', 0);
        if (colon < 0) {
            return settings.currentPackage().intern(text);
        }
        boolean internal = colon + 1 < text.length() && text.charAt(colon + 1) == ':' && !token.escaped().get(colon + 1);
        int nameStart = colon + (internal ? 2 : 1);
        String name = text.substring(nameStart);
        if (token.indexOfUnescaped(':', nameStart) >= 0) {
            throw error(ReaderError.Kind.BAD_TOKEN, token, "too many package markers in \"" + text + "\"");
        }
        if (name.isEmpty() && !token.hasEscapesFrom(nameStart)) {
            throw error(ReaderError.Kind.BAD_TOKEN, token, "no symbol name after the package marker in \"" + text + "\"");
        }
        if (colon == 0) {
            if (internal) {
                throw error(ReaderError.Kind.BAD_TOKEN, token, "\"::\" without a package name in \"" + text + "\"");
            }
            return settings.packages().keyword(name);
        }
        String packageName = text.substring(0, colon);
        LispPackage p = settings.packages().find(packageName);
        if (p == null) {
            throw error(ReaderError.Kind.UNKNOWN_PACKAGE, token, "no package named " + packageName);
        }
        if (internal || p == settings.packages().keyword()) {
            return p.intern(name);
        }
        LispPackage.Lookup found = p.findSymbol(name);
        if (found == null || found.status() != LispPackage.Status.EXTERNAL) {
            throw error(ReaderError.Kind.SYMBOL_NOT_EXTERNAL, token,
                    "symbol " + name + " is not external in package " + p.name());
        }
        return found.symbol();
    }

    static ReaderError error(ReaderError.Kind kind, Token token, String detail) {
        return new ReaderError(kind, token.line(), token.column(), detail);
    }
}

package org.astralisp.lisp.data;

import java.util.Objects;

/**
 * A Lisp symbol (CLHS 10.1): a name and its home package, or no home package when uninterned. Symbols are
 * compared by identity, like {@code eq}.
 */
public final class Symbol {

    private final String name;
    private final LispPackage homePackage;

    Symbol(String name, LispPackage homePackage) {
        this.name = Objects.requireNonNull(name, "name");
        this.homePackage = homePackage;
    }

    /** {@code make-symbol}: a fresh symbol with no home package (printed {@code #:NAME}). */
    public static Symbol uninterned(String name) {
        return new Symbol(name, null);
    }

    public String name() {
        return name;
    }

    /** The home package, or {@code null} for an uninterned symbol. */
    public LispPackage homePackage() {
        return homePackage;
    }

    /** CLHS {@code keywordp}: interned in the KEYWORD package. */
    public boolean isKeyword() {
        return homePackage != null && homePackage.name().equals(LispPackage.KEYWORD_NAME);
    }

    @Override
    public String toString() {
        return homePackage == null ? "#:" + name : homePackage.name() + "::" + name;
    }
}

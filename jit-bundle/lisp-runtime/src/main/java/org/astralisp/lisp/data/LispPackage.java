package org.astralisp.lisp.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A package (CLHS 11.1): a name, nicknames, its present symbols (each internal or external) and the packages
 * it uses, whose external symbols it inherits. Symbols interned in the KEYWORD package are external and are
 * keywords (CLHS 11.1.2.3).
 *
 * <p>Not thread-safe: the runtime that shares packages between threads adds the locking (docs/lisp.md).
 */
public final class LispPackage {

    public static final String COMMON_LISP_NAME = "COMMON-LISP";
    public static final String KEYWORD_NAME = "KEYWORD";
    public static final String COMMON_LISP_USER_NAME = "COMMON-LISP-USER";

    /** How a symbol is accessible in a package (the second value of CLHS {@code find-symbol}). */
    public enum Status { INTERNAL, EXTERNAL, INHERITED }

    /** A found symbol and how it is accessible. */
    public record Lookup(Symbol symbol, Status status) {
    }

    private final String name;
    private final Set<String> nicknames;
    private final Map<String, Symbol> present = new LinkedHashMap<>();
    private final Map<String, Symbol> external = new LinkedHashMap<>();
    private final List<LispPackage> used = new ArrayList<>();

    public LispPackage(String name, Set<String> nicknames) {
        this.name = Objects.requireNonNull(name, "name");
        this.nicknames = Set.copyOf(nicknames);
    }

    public String name() {
        return name;
    }

    public Set<String> nicknames() {
        return nicknames;
    }

    /** CLHS {@code use-package}: this package inherits {@code other}'s external symbols. */
    public void use(LispPackage other) {
        if (other != this && !used.contains(other)) {
            used.add(other);
        }
    }

    /** CLHS {@code find-symbol}: the accessible symbol named {@code symbolName}, or {@code null}. */
    public Lookup findSymbol(String symbolName) {
        Symbol own = present.get(symbolName);
        if (own != null) {
            return new Lookup(own, external.containsKey(symbolName) ? Status.EXTERNAL : Status.INTERNAL);
        }
        for (LispPackage p : used) {
            Symbol inherited = p.external.get(symbolName);
            if (inherited != null) {
                return new Lookup(inherited, Status.INHERITED);
            }
        }
        return null;
    }

    /** CLHS {@code intern}: the accessible symbol of that name, or a new one whose home is this package. */
    public Symbol intern(String symbolName) {
        Lookup found = findSymbol(symbolName);
        if (found != null) {
            return found.symbol();
        }
        Symbol symbol = new Symbol(symbolName, this);
        present.put(symbolName, symbol);
        if (name.equals(KEYWORD_NAME)) {
            external.put(symbolName, symbol);
        }
        return symbol;
    }

    /** CLHS {@code export} of a symbol present in this package. */
    public void export(Symbol symbol) {
        if (present.get(symbol.name()) != symbol) {
            throw new IllegalArgumentException("symbol " + symbol + " is not present in package " + name);
        }
        external.put(symbol.name(), symbol);
    }

    /** Interns {@code symbolName} and exports it. */
    public Symbol internExternal(String symbolName) {
        Symbol symbol = intern(symbolName);
        export(symbol);
        return symbol;
    }

    @Override
    public String toString() {
        return "#<PACKAGE " + name + ">";
    }
}

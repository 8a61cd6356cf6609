package org.astralisp.lisp.data;

import java.util.List;
import java.util.Set;

/**
 * The standard symbols the reader and printer need and the list constructors. The COMMON-LISP package is one
 * per bundle, shared by every {@link PackageRegistry}, so that {@link #NIL} — the symbol and the empty list
 * (CLHS 1.4.1.4.4 and the glossary entry "nil") — is one object.
 */
public final class Lisp {

    public static final LispPackage COMMON_LISP = new LispPackage(LispPackage.COMMON_LISP_NAME, Set.of("CL"));
    /** The implementation's own package: the backquote operators live here (docs/lisp.md). */
    public static final LispPackage SYSTEM = new LispPackage("ASTRALISP-SYSTEM", Set.of("SYS"));

    public static final Symbol NIL = COMMON_LISP.internExternal("NIL");
    public static final Symbol T = COMMON_LISP.internExternal("T");
    public static final Symbol QUOTE = COMMON_LISP.internExternal("QUOTE");
    public static final Symbol FUNCTION = COMMON_LISP.internExternal("FUNCTION");
    public static final Symbol QUASIQUOTE = SYSTEM.internExternal("QUASIQUOTE");
    public static final Symbol UNQUOTE = SYSTEM.internExternal("UNQUOTE");
    public static final Symbol UNQUOTE_SPLICING = SYSTEM.internExternal("UNQUOTE-SPLICING");

    static {
        for (String name : List.of("AND", "OR", "NOT", "*READ-EVAL*", "*READ-BASE*", "*PACKAGE*", "*FEATURES*")) {
            COMMON_LISP.internExternal(name);
        }
        SYSTEM.use(COMMON_LISP);
    }

    private Lisp() {
    }

    /** CLHS {@code list}: a proper list of the elements, NIL when there are none. */
    public static Object list(Object... elements) {
        return listStar(NIL, elements);
    }

    /** A list of {@code elements} whose last cdr is {@code tail}. */
    public static Object listStar(Object tail, Object... elements) {
        Object result = tail;
        for (int i = elements.length - 1; i >= 0; i--) {
            result = new Cons(elements[i], result);
        }
        return result;
    }

    /** A proper list of the elements of {@code elements}. */
    public static Object list(List<?> elements) {
        return list(elements.toArray());
    }
}

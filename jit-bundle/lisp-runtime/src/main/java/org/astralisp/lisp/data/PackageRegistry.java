package org.astralisp.lisp.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The packages of one Lisp image, found by name or nickname (CLHS {@code find-package}). A new registry holds
 * the shared COMMON-LISP package ({@link Lisp#COMMON_LISP}), its own KEYWORD, COMMON-LISP-USER (nickname
 * CL-USER, using COMMON-LISP) and ASTRALISP-SYSTEM (the backquote operators, {@link Lisp#QUASIQUOTE}).
 */
public final class PackageRegistry {

    private final Map<String, LispPackage> byName = new LinkedHashMap<>();
    private final LispPackage keyword;
    private final LispPackage commonLispUser;

    public PackageRegistry() {
        register(Lisp.COMMON_LISP);
        register(Lisp.SYSTEM);
        keyword = register(new LispPackage(LispPackage.KEYWORD_NAME, Set.of()));
        commonLispUser = register(new LispPackage(LispPackage.COMMON_LISP_USER_NAME, Set.of("CL-USER")));
        commonLispUser.use(Lisp.COMMON_LISP);
    }

    /** Adds a package; its name and nicknames must be new (CLHS {@code make-package}). */
    public LispPackage register(LispPackage p) {
        for (String n : names(p)) {
            if (byName.containsKey(n)) {
                throw new IllegalArgumentException("a package named " + n + " already exists");
            }
        }
        for (String n : names(p)) {
            byName.put(n, p);
        }
        return p;
    }

    /** CLHS {@code find-package}: by name or nickname, or {@code null}. */
    public LispPackage find(String name) {
        return byName.get(name);
    }

    public LispPackage keyword() {
        return keyword;
    }

    public LispPackage commonLispUser() {
        return commonLispUser;
    }

    /** The keyword named {@code name} (CLHS 11.1.2.3). */
    public Symbol keyword(String name) {
        return keyword.intern(name);
    }

    private static Set<String> names(LispPackage p) {
        var all = new java.util.LinkedHashSet<String>();
        all.add(p.name());
        all.addAll(p.nicknames());
        return all;
    }
}

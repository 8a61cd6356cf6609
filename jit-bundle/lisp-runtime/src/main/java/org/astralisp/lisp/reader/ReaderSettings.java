package org.astralisp.lisp.reader;

import java.util.Set;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.data.Symbol;

/**
 * The reader variables (CLHS 23.2): {@code *package*}, {@code *read-base*}, {@code *read-default-float-format*},
 * {@code *read-eval*} and {@code *features*}, passed as a value until the runtime binds them dynamically.
 *
 * @param evaluator the {@code #.} evaluator, or {@code null} when none is installed
 */
public record ReaderSettings(PackageRegistry packages, LispPackage currentPackage, int readBase,
        FloatFormat defaultFloatFormat, boolean readEval, Set<Symbol> features, ReadTimeEvaluator evaluator) {

    public ReaderSettings {
        if (readBase < 2 || readBase > 36) {
            throw new IllegalArgumentException("*read-base* must be 2..36, not " + readBase);
        }
        features = Set.copyOf(features);
    }

    /** The standard values: CL-USER, base 10, single-float, {@code *read-eval*} true, features :ASTRALISP :COMMON-LISP :ANSI-CL. */
    public static ReaderSettings standard(PackageRegistry packages) {
        return new ReaderSettings(packages, packages.commonLispUser(), 10, FloatFormat.SINGLE_FLOAT, true,
                Set.of(packages.keyword("ASTRALISP"), packages.keyword("COMMON-LISP"), packages.keyword("ANSI-CL")),
                null);
    }

    public ReaderSettings withReadBase(int base) {
        return new ReaderSettings(packages, currentPackage, base, defaultFloatFormat, readEval, features, evaluator);
    }

    public ReaderSettings withDefaultFloatFormat(FloatFormat format) {
        return new ReaderSettings(packages, currentPackage, readBase, format, readEval, features, evaluator);
    }

    public ReaderSettings withReadEval(boolean enabled) {
        return new ReaderSettings(packages, currentPackage, readBase, defaultFloatFormat, enabled, features, evaluator);
    }

    public ReaderSettings withEvaluator(ReadTimeEvaluator e) {
        return new ReaderSettings(packages, currentPackage, readBase, defaultFloatFormat, readEval, features, e);
    }

    public ReaderSettings withCurrentPackage(LispPackage p) {
        return new ReaderSettings(packages, p, readBase, defaultFloatFormat, readEval, features, evaluator);
    }
}

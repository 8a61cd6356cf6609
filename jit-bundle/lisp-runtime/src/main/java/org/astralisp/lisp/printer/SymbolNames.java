package org.astralisp.lisp.printer;

import org.astralisp.lisp.reader.NumberSyntax;
import org.astralisp.lisp.reader.SyntaxType;

/**
 * Symbol and package names as the printer writes them (CLHS 22.1.3.3): between {@code |...|} when the reader
 * would not read the name back unchanged, otherwise with {@code *print-case*} applied.
 */
final class SymbolNames {

    private SymbolNames() {
    }

    static String write(String name, PrintSettings settings) {
        if (!settings.escaping()) {
            return applyCase(name, settings.printCase());
        }
        if (needsEscape(name, settings.base())) {
            return "|" + name.replace("\\", "\\\\").replace("|", "\\|") + "|";
        }
        return applyCase(name, settings.printCase());
    }

    /** CLHS 22.1.3.3.1: the name would not read back as itself with the standard readtable. */
    private static boolean needsEscape(String name, int base) {
        if (name.isEmpty() || name.startsWith("#") || name.chars().allMatch(c -> c == '.')) {
            return true;
        }
        boolean unsafe = name.codePoints().anyMatch(c -> c == ':' || Character.toUpperCase(c) != c
                || (SyntaxType.of(c) != SyntaxType.CONSTITUENT && c != '#'));
        return unsafe || NumberSyntax.readsAsNumber(name, base) || NumberSyntax.readsAsNumber(name, 10);
    }

    /** CLHS 22.1.3.3.2 Effect of Readtable Case on the Lisp Printer, for readtable case :upcase. */
    private static String applyCase(String name, PrintCase printCase) {
        if (printCase == PrintCase.UPCASE) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        boolean wordStart = true;
        for (int c : name.codePoints().toArray()) {
            boolean keepUpper = printCase == PrintCase.CAPITALIZE && wordStart;
            int lower = Character.toLowerCase(c);
            boolean lowerReadsBack = Character.toUpperCase(lower) == c;
            sb.appendCodePoint(!keepUpper && lowerReadsBack ? lower : c);
            wordStart = !Character.isLetterOrDigit(c);
        }
        return sb.toString();
    }
}

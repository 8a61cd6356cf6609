package org.astralisp.lisp.printer;

import java.math.BigInteger;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.Lisp;
import org.astralisp.lisp.data.LispCharacter;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.Ratio;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;

/**
 * The printer (CLHS 22.1.3 Default Print-Object Methods) for the data of {@code org.astralisp.lisp.data}.
 * Circular structure is not detected ({@code *print-circle*} is not implemented, docs/lisp.md).
 */
public final class LispPrinter {

    private final PrintSettings settings;

    public LispPrinter(PrintSettings settings) {
        this.settings = settings;
    }

    /** CLHS {@code prin1}. */
    public static String prin1(Object object, LispPackage currentPackage) {
        return new LispPrinter(PrintSettings.prin1(currentPackage)).print(object);
    }

    /** CLHS {@code princ}. */
    public static String princ(Object object, LispPackage currentPackage) {
        return new LispPrinter(PrintSettings.princ(currentPackage)).print(object);
    }

    /** CLHS {@code write-to-string} with these settings. */
    public String print(Object object) {
        StringBuilder out = new StringBuilder();
        write(object, out, 0, 0);
        return out.toString();
    }

    private void write(Object object, StringBuilder out, int depth, int backquotes) {
        switch (object) {
            case null -> throw new IllegalArgumentException("Java null is not a Lisp object");
            case Symbol s -> out.append(symbol(s));
            case Long l -> out.append(integer(BigInteger.valueOf(l)));
            case BigInteger b -> out.append(integer(b));
            case Ratio r -> out.append(ratio(r));
            case Float f -> out.append(floating(f, f.isNaN() || f.isInfinite(), Float.toString(f)));
            case Double d -> out.append(floating(d, d.isNaN() || d.isInfinite(), Double.toString(d)));
            case LispCharacter c -> out.append(character(c));
            case String s -> out.append(string(s));
            case Cons c -> writeList(c, out, depth, backquotes);
            case SimpleVector v -> writeVector(v, out, depth, backquotes);
            default -> out.append(unreadable(object, "JAVA-OBJECT " + object.getClass().getName()));
        }
    }

    /** CLHS 22.1.3.3 Printing Symbols: a package prefix when the symbol is not accessible in *package*. */
    private String symbol(Symbol s) {
        String name = SymbolNames.write(s.name(), settings);
        if (!settings.escaping()) {
            return name;
        }
        if (s.isKeyword()) {
            return ":" + name;
        }
        LispPackage home = s.homePackage();
        if (home == null) {
            return "#:" + name;
        }
        LispPackage.Lookup here = settings.currentPackage().findSymbol(s.name());
        if (here != null && here.symbol() == s) {
            return name;
        }
        boolean external = home.findSymbol(s.name()).status() == LispPackage.Status.EXTERNAL;
        return SymbolNames.write(home.name(), settings) + (external ? ":" : "::") + name;
    }

    /** CLHS 22.1.3.1.1 Printing Integers, with *print-radix* as #b #o #x #NNr or a trailing decimal point. */
    private String integer(BigInteger value) {
        String digits = value.toString(settings.base()).toUpperCase(java.util.Locale.ROOT);
        if (!settings.radix()) {
            return digits;
        }
        return settings.base() == 10 ? digits + "." : radixPrefix() + digits;
    }

    /** CLHS 22.1.3.1.2 Printing Ratios. */
    private String ratio(Ratio r) {
        String text = r.numerator().toString(settings.base()) + "/" + r.denominator().toString(settings.base());
        text = text.toUpperCase(java.util.Locale.ROOT);
        return settings.radix() ? radixPrefix() + text : text;
    }

    private String radixPrefix() {
        return switch (settings.base()) {
            case 2 -> "#b";
            case 8 -> "#o";
            case 16 -> "#x";
            default -> "#" + settings.base() + "r";
        };
    }

    /**
     * CLHS 22.1.3.1.3 Printing Floats: Java's shortest round-tripping digits; the exponent marker is
     * {@code e} for the {@code *read-default-float-format*} and {@code f}/{@code d} otherwise ({@code 1.0d0}).
     */
    private String floating(Object value, boolean notFinite, String javaText) {
        FloatFormat format = FloatFormat.of(value);
        if (notFinite) {
            return unreadable(value, (format == FloatFormat.SINGLE_FLOAT ? "SINGLE-FLOAT " : "DOUBLE-FLOAT ") + javaText);
        }
        int e = javaText.indexOf('E');
        String mantissa = e < 0 ? javaText : javaText.substring(0, e);
        String exponent = e < 0 ? "" : javaText.substring(e + 1);
        if (format == settings.readDefaultFloatFormat()) {
            return exponent.isEmpty() ? mantissa : mantissa + "e" + exponent;
        }
        return mantissa + format.exponentMarker() + (exponent.isEmpty() ? "0" : exponent);
    }

    /** CLHS 22.1.3.2 Printing Characters. */
    private String character(LispCharacter c) {
        if (!settings.escaping()) {
            return c.toString();
        }
        return "#\\" + (c.name() != null ? c.name() : c.toString());
    }

    /** CLHS 22.1.3.4 Printing Strings: with escape, {@code "} and {@code \} are preceded by {@code \}. */
    private String string(String s) {
        if (!settings.escaping()) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** CLHS 22.1.3.5 Printing Lists and Conses, with the reader-macro abbreviations of 2.4.3, 2.4.6-2.4.8.2. */
    private void writeList(Cons list, StringBuilder out, int depth, int backquotes) {
        String prefix = abbreviation(list, backquotes);
        if (prefix != null) {
            int inner = backquotes + (prefix.equals("`") ? 1 : prefix.startsWith(",") ? -1 : 0);
            out.append(prefix);
            write(((Cons) list.cdr()).car(), out, depth, inner);
            return;
        }
        if (levelExceeded(depth)) {
            out.append('#');
            return;
        }
        out.append('(');
        Object rest = list;
        int count = 0;
        while (rest instanceof Cons c) {
            if (count > 0) {
                out.append(' ');
            }
            if (lengthReached(count)) {
                out.append("...");
                break;
            }
            write(c.car(), out, depth + 1, backquotes);
            count++;
            rest = c.cdr();
        }
        if (!(rest instanceof Cons) && rest != Lisp.NIL) {
            out.append(" . ");
            write(rest, out, depth + 1, backquotes);
        }
        out.append(')');
    }

    /** The prefix for {@code (quote x)}, {@code (function x)} and the backquote forms, or null. */
    private static String abbreviation(Cons list, int backquotes) {
        if (!(list.cdr() instanceof Cons second) || second.cdr() != Lisp.NIL) {
            return null;
        }
        Object op = list.car();
        if (op == Lisp.QUOTE) {
            return "'";
        } else if (op == Lisp.FUNCTION) {
            return "#'";
        } else if (op == Lisp.QUASIQUOTE) {
            return "`";
        } else if (op == Lisp.UNQUOTE && backquotes > 0) {
            return ",";
        } else if (op == Lisp.UNQUOTE_SPLICING && backquotes > 0) {
            return ",@";
        }
        return null;
    }

    /** CLHS 22.1.3.7 Printing Other Vectors. */
    private void writeVector(SimpleVector v, StringBuilder out, int depth, int backquotes) {
        if (levelExceeded(depth)) {
            out.append('#');
            return;
        }
        out.append("#(");
        for (int i = 0; i < v.length(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            if (lengthReached(i)) {
                out.append("...");
                break;
            }
            write(v.get(i), out, depth + 1, backquotes);
        }
        out.append(')');
    }

    private boolean levelExceeded(int depth) {
        return settings.effectiveLevel() != PrintSettings.NO_LIMIT && depth >= settings.effectiveLevel();
    }

    private boolean lengthReached(int count) {
        return settings.effectiveLength() != PrintSettings.NO_LIMIT && count >= settings.effectiveLength();
    }

    /** CLHS 22.1.3.13 Printing Other Objects: {@code #<...>}, or print-not-readable when printing readably. */
    private String unreadable(Object object, String description) {
        if (settings.readably()) {
            throw new PrintNotReadable(object, description);
        }
        return "#<" + description + ">";
    }
}

package org.astralisp.lisp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.Integers;
import org.astralisp.lisp.data.Lisp;
import org.astralisp.lisp.data.LispCharacter;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.data.Ratio;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;

/**
 * Random Lisp data for property tests: nested lists (proper and dotted) and vectors of integers of every size,
 * ratios, finite floats, strings and characters with syntax characters, and symbols with odd names in
 * CL-USER, KEYWORD, another package (external and internal) or uninterned.
 */
public final class LispDataGenerator {

    /** Characters that matter to the reader's syntax, plus letters of both cases and non-ASCII. */
    public static final String ODD = "aZ09 \t\n()'\";`,#|\\:.+-/eEdD@ßéİı字";

    private final Random random;
    private final PackageRegistry packages;
    private final LispPackage other;

    public LispDataGenerator(Random random, PackageRegistry packages, LispPackage other) {
        this.random = random;
        this.packages = packages;
        this.other = other;
    }

    public Object datum(int depth) {
        int choice = random.nextInt(depth > 0 ? 12 : 9);
        return switch (choice) {
            case 0 -> random.nextLong();
            case 1 -> Integers.normalize(new BigInteger(1 + random.nextInt(200), random).multiply(BigInteger.valueOf(random.nextInt(3) - 1)));
            case 2 -> Ratio.of(BigInteger.valueOf(random.nextInt(2001) - 1000), BigInteger.valueOf(1 + random.nextInt(1000)));
            case 3 -> finiteFloat();
            case 4 -> finiteDouble();
            case 5 -> oddString();
            case 6 -> new LispCharacter(random.nextBoolean() ? ODD.codePointAt(random.nextInt(ODD.length())) : random.nextInt(0x3000));
            case 7, 8 -> symbol();
            case 9, 10 -> list(depth - 1);
            default -> new SimpleVector(elements(depth - 1));
        };
    }

    private Object list(int depth) {
        List<Object> items = elements(depth);
        Object tail = !items.isEmpty() && random.nextInt(4) == 0 ? datum(0) : Lisp.NIL;
        Object result = tail instanceof Cons || tail == Lisp.NIL ? Lisp.list(items) : Lisp.listStar(tail, items.toArray());
        return random.nextInt(8) == 0 ? Lisp.list(Lisp.QUOTE, result) : result;
    }

    private List<Object> elements(int depth) {
        List<Object> items = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            items.add(datum(depth));
        }
        return items;
    }

    private Symbol symbol() {
        String name = random.nextInt(3) == 0 ? oddString() : "S" + random.nextInt(100);
        return switch (random.nextInt(5)) {
            case 0 -> packages.keyword(name);
            case 1 -> other.internExternal(name);
            case 2 -> other.intern(name + "-INTERNAL");
            case 3 -> Symbol.uninterned(name);
            default -> packages.commonLispUser().intern(name);
        };
    }

    public String oddString() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(ODD.charAt(random.nextInt(ODD.length())));
        }
        return sb.toString();
    }

    private float finiteFloat() {
        float f;
        do {
            f = Float.intBitsToFloat(random.nextInt());
        } while (!Float.isFinite(f));
        return f;
    }

    private double finiteDouble() {
        double d;
        do {
            d = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(d));
        return d;
    }
}

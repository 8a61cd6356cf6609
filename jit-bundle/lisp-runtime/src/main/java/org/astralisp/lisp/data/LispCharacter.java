package org.astralisp.lisp.data;

import java.util.Locale;
import java.util.Map;

/**
 * A character (CLHS 13.1): one Unicode code point. Names follow CLHS 13.1.7: the standard {@code Newline} and
 * {@code Space} and the semi-standard {@code Rubout Page Tab Backspace Return Linefeed}, plus {@code Nul}.
 */
public record LispCharacter(int codePoint) {

    private static final Map<String, Integer> BY_NAME = Map.of(
            "NEWLINE", (int) '\n', "SPACE", (int) ' ', "RUBOUT", 0x7f, "PAGE", (int) '\f', "TAB", (int) '\t',
            "BACKSPACE", (int) '\b', "RETURN", (int) '\r', "LINEFEED", (int) '\n', "NUL", 0);
    private static final Map<Integer, String> NAME_OF = Map.of(
            (int) '\n', "Newline", (int) ' ', "Space", 0x7f, "Rubout", (int) '\f', "Page", (int) '\t', "Tab",
            (int) '\b', "Backspace", (int) '\r', "Return", 0, "Nul");

    public LispCharacter {
        if (!Character.isValidCodePoint(codePoint)) {
            throw new IllegalArgumentException("not a Unicode code point: " + codePoint);
        }
    }

    /** CLHS {@code name-char}: the character named {@code name} (case-insensitive), or {@code null}. */
    public static LispCharacter named(String name) {
        Integer cp = BY_NAME.get(name.toUpperCase(Locale.ROOT));
        return cp == null ? null : new LispCharacter(cp);
    }

    /** CLHS {@code char-name}: this character's name, or {@code null} if it has none. */
    public String name() {
        return NAME_OF.get(codePoint);
    }

    @Override
    public String toString() {
        return Character.toString(codePoint);
    }
}

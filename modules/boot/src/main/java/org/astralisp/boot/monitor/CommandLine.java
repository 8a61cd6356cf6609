package org.astralisp.boot.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a console command line into words: whitespace separates, double quotes
 * group (a quoted word may contain spaces; {@code \"} and {@code \\} escape
 * inside quotes).
 */
public final class CommandLine {

    private CommandLine() {
    }

    public static List<String> split(String line) throws IllegalArgumentException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                } else if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated \" in: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}

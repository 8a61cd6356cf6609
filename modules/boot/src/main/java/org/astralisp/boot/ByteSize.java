package org.astralisp.boot;

import java.util.Locale;

/**
 * A size on the command line: a decimal number with an optional binary suffix
 * {@code K M G T} (powers of 1024, as QEMU's {@code -m}); a bare number is bytes.
 */
public record ByteSize(long bytes) {

    /** Parses {@code text} for flag {@code flag}; the error names both. */
    public static ByteSize parse(String flag, String text) throws UsageException {
        if (text == null || text.isEmpty()) {
            throw new UsageException(flag + " needs a size such as 512M or 2G");
        }
        String digits = text;
        int shift = 0;
        char last = Character.toUpperCase(text.charAt(text.length() - 1));
        if (!Character.isDigit(last)) {
            shift = switch (last) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> throw new UsageException(flag + " " + text + ": unknown size suffix '"
                        + text.charAt(text.length() - 1) + "' (use K, M, G or T)");
            };
            digits = text.substring(0, text.length() - 1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new UsageException(flag + " " + text + ": not a size (expected digits then K, M, G or T, e.g. 512M)");
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " " + text + ": number too large");
        }
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new UsageException(flag + " " + text + ": number too large");
        }
        return new ByteSize(value << shift);
    }

    /** The shortest exact form: 512M, 2G, 1536K, 1000. */
    @Override
    public String toString() {
        String[] units = {"", "K", "M", "G", "T"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit].toUpperCase(Locale.ROOT);
    }
}

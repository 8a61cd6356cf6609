package org.astralisp.hal.api.paging;

import java.util.HexFormat;

/** How the paging messages spell addresses and entries: {@code 0x} and all 16 hex digits. */
final class Hex {

    private static final HexFormat DIGITS = HexFormat.of();

    private Hex() {
    }

    static String of(long value) {
        return "0x" + DIGITS.toHexDigits(value);
    }
}

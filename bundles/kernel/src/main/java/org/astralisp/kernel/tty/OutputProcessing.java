package org.astralisp.kernel.tty;

/**
 * Output post-processing of the terminal (POSIX.1-2017 XBD §11.2.3, OPOST with
 * ONLCR): every NL goes out as CR NL, so text written with bare newlines
 * starts each line at the left margin. Nothing else is translated (no OCRNL,
 * no tab expansion); a CR NL written goes out as CR CR NL, as on Linux.
 */
final class OutputProcessing {

    private OutputProcessing() {
    }

    /** {@code bytes} with each NL preceded by a CR. */
    static byte[] onlcr(byte[] bytes) {
        int newlines = 0;
        for (byte b : bytes) {
            if (b == LineDiscipline.NL) {
                newlines++;
            }
        }
        if (newlines == 0) {
            return bytes;
        }
        byte[] out = new byte[bytes.length + newlines];
        int j = 0;
        for (byte b : bytes) {
            if (b == LineDiscipline.NL) {
                out[j++] = LineDiscipline.CR;
            }
            out[j++] = b;
        }
        return out;
    }
}

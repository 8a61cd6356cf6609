package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({"512M, 536870912", "2G, 2147483648", "1536k, 1572864", "1000, 1000", "1T, 1099511627776"})
    void parsesBinarySuffixes(String text, long bytes) throws UsageException {
        assertEquals(bytes, ByteSize.parse("--memory", text).bytes());
    }

    @ParameterizedTest
    @CsvSource({"536870912, 512M", "1572864, 1536K", "1000, 1000", "0, 0"})
    void printsTheShortestExactForm(long bytes, String text) {
        assertEquals(text, new ByteSize(bytes).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12Q | --memory 12Q: unknown size suffix 'Q' (use K, M, G or T)",
        "M | --memory M: not a size (expected digits then K, M, G or T, e.g. 512M)",
        "-5M | --memory -5M: not a size (expected digits then K, M, G or T, e.g. 512M)",
        "1.5G | --memory 1.5G: not a size (expected digits then K, M, G or T, e.g. 512M)",
        "99999999999999999999 | --memory 99999999999999999999: number too large",
        "9999999999999T | --memory 9999999999999T: number too large"})
    void rejectsMalformedSizesNamingTheFlag(String text, String message) {
        assertEquals(message, assertThrows(UsageException.class, () -> ByteSize.parse("--memory", text)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void rejectsAnEmptySize() {
        assertEquals("--memory needs a size such as 512M or 2G",
                assertThrows(UsageException.class, () -> ByteSize.parse("--memory", "")).getMessage());
    }
}

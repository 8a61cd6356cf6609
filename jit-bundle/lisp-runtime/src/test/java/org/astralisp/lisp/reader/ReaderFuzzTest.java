package org.astralisp.lisp.reader;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import org.astralisp.lisp.LispDataGenerator;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.printer.LispPrinter;
import org.junit.jupiter.api.Test;

/**
 * The reader on random and mutated input either reads objects or throws a {@link ReaderError} with a position
 * inside the input: never another exception, never a hang.
 */
class ReaderFuzzTest {

    private static final int SAMPLES = 20_000;
    private static final String SYNTAX = "()'`,@;\"|\\#:.+-/ \n\t0123456789abcdefxXbBoOrR+-.|#\\:eEdD";

    private final PackageRegistry packages = new PackageRegistry();
    private final LispPackage other = packages.register(new LispPackage("OTHER-PKG", Set.of()));

    @Test
    void randomInputReadsOrFailsWithAPositionedReaderError() {
        Random random = new Random(4242);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < SAMPLES; i++) {
                StringBuilder sb = new StringBuilder();
                int n = random.nextInt(40);
                for (int j = 0; j < n; j++) {
                    sb.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x10000) : SYNTAX.charAt(random.nextInt(SYNTAX.length())));
                }
                readAllOrReaderError(sb.toString());
            }
        });
    }

    @Test
    void mutatedValidInputReadsOrFailsWithAPositionedReaderError() {
        Random random = new Random(77);
        LispDataGenerator generator = new LispDataGenerator(random, packages, other);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < SAMPLES; i++) {
                StringBuilder text = new StringBuilder(LispPrinter.prin1(generator.datum(4), packages.commonLispUser()));
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations && !text.isEmpty(); m++) {
                    int at = random.nextInt(text.length());
                    switch (random.nextInt(3)) {
                        case 0 -> text.deleteCharAt(at);
                        case 1 -> text.insert(at, SYNTAX.charAt(random.nextInt(SYNTAX.length())));
                        default -> text.setCharAt(at, SYNTAX.charAt(random.nextInt(SYNTAX.length())));
                    }
                }
                readAllOrReaderError(text.toString());
            }
        });
    }

    private void readAllOrReaderError(String input) {
        try {
            new LispReader(ReaderSettings.standard(packages)).readAll(input);
        } catch (ReaderError e) {
            int lines = (int) input.chars().filter(c -> c == '\n').count() + 1;
            assertTrue(e.line() >= 1 && e.line() <= lines && e.column() >= 1,
                    () -> "position " + e.line() + ":" + e.column() + " outside " + escape(input));
        } catch (RuntimeException | StackOverflowError e) {
            fail("input " + escape(input) + " threw " + e, e);
        }
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\t", "\\t");
    }
}

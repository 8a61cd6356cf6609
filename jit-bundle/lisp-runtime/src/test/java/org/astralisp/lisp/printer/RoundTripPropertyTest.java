package org.astralisp.lisp.printer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import org.astralisp.lisp.LispDataGenerator;
import org.astralisp.lisp.StructuralEquality;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.LispPackage;
import org.astralisp.lisp.data.PackageRegistry;
import org.astralisp.lisp.reader.LispReader;
import org.astralisp.lisp.reader.ReaderSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Property: for generated data x, read(prin1(x)) is structurally x, under several printer settings. */
class RoundTripPropertyTest {

    private static final int SAMPLES = 3000;

    enum Variant {
        PRIN1, READABLY_DOWNCASE, CAPITALIZE, DOUBLE_DEFAULT
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void readingWhatWasPrintedGivesTheSameData(Variant variant) {
        PackageRegistry packages = new PackageRegistry();
        LispPackage other = packages.register(new LispPackage("OTHER-PKG", Set.of()));
        LispDataGenerator generator = new LispDataGenerator(new Random(variant.ordinal() * 7919L + 17), packages, other);
        PrintSettings base = PrintSettings.prin1(packages.commonLispUser());
        FloatFormat floats = variant == Variant.DOUBLE_DEFAULT ? FloatFormat.DOUBLE_FLOAT : FloatFormat.SINGLE_FLOAT;
        PrintSettings settings = switch (variant) {
            case PRIN1 -> base;
            case READABLY_DOWNCASE -> base.withEscape(false).withReadably(true).withCase(PrintCase.DOWNCASE).withLimits(1, 1);
            case CAPITALIZE -> base.withCase(PrintCase.CAPITALIZE);
            case DOUBLE_DEFAULT -> base.withReadDefaultFloatFormat(floats);
        };
        LispPrinter printer = new LispPrinter(settings);
        LispReader reader = new LispReader(ReaderSettings.standard(packages).withDefaultFloatFormat(floats));
        for (int i = 0; i < SAMPLES; i++) {
            Object datum = generator.datum(4);
            String printed = printer.print(datum);
            Object read = reader.readOne(printed);
            assertTrue(StructuralEquality.same(datum, read), () -> "sample printed as " + printed + " read back as "
                    + printer.print(read));
        }
    }
}

package org.astralisp.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.Program;
import org.astralisp.kernel.api.proc.ProgramLoadException;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Programs that are Java classes: what the loader accepts, loads and refuses; one run as a process. */
@Timeout(60)
class JavaProgramLoaderTest {

    private final JavaProgramLoader loader = new JavaProgramLoader(JavaProgramLoaderTest.class.getClassLoader());

    /** Echoes its arguments' count as its exit code. */
    public static final class CountArguments implements Program {
        @Override
        public int main(SystemCalls system, List<String> args) {
            return args.size();
        }
    }

    public static final class NoDefaultConstructor implements Program {
        public NoDefaultConstructor(int unused) {
        }

        @Override
        public int main(SystemCalls system, List<String> args) {
            return 0;
        }
    }

    public static final class ThrowingConstructor implements Program {
        public ThrowingConstructor() {
            throw new IllegalStateException("not today");
        }

        @Override
        public int main(SystemCalls system, List<String> args) {
            return 0;
        }
    }

    private String refusal(String location) {
        return assertThrows(ProgramLoadException.class, () -> loader.load(ProgramImage.at(location))).getMessage();
    }

    @Test
    void acceptsOnlyTheJavaScheme() {
        assertTrue(loader.accepts(ProgramImage.at("java:" + CountArguments.class.getName())));
        assertFalse(loader.accepts(ProgramImage.at("file:/bin/ls")));
        assertFalse(loader.accepts(ProgramImage.at("javascript")));
    }

    @Test
    void refusesClassesThatAreMissingNotProgramsOrCannotBeMade() {
        assertTrue(refusal("java:no.Such").startsWith("no class no.Such ("), refusal("java:no.Such"));
        assertEquals("java.lang.String does not implement org.astralisp.kernel.api.proc.Program",
                refusal("java:java.lang.String"));
        assertEquals(NoDefaultConstructor.class.getName() + " has no public no-argument constructor",
                refusal("java:" + NoDefaultConstructor.class.getName()));
        assertEquals(ThrowingConstructor.class.getName() + "'s constructor threw java.lang.IllegalStateException: "
                + "not today", refusal("java:" + ThrowingConstructor.class.getName()));
    }

    @Test
    void aJavaProgramRunsAsAProcessWithItsArguments() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            int parent = kernel.spawn((sys, args) -> {
                int child = sys.spawn(ProgramImage.at("java:" + CountArguments.class.getName()), List.of("a", "b",
                        "c"));
                status.set(sys.wait(child, false).orElseThrow().status());
                return 0;
            });
            kernel.awaitGone(parent);
            assertEquals(ExitStatus.exited(3), status.get());
        }
    }
}

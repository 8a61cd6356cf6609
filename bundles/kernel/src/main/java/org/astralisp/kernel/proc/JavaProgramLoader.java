package org.astralisp.kernel.proc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import org.astralisp.kernel.api.proc.Program;
import org.astralisp.kernel.api.proc.ProgramLoadException;
import org.astralisp.kernel.api.proc.ProgramLoader;
import org.astralisp.kernel.api.syscall.ProgramImage;

/**
 * Loads programs that are Java classes: the image {@code java:CLASS} names a
 * class, found through a class loader, that implements {@link Program} and
 * has a public no-argument constructor; each spawn makes a new instance. What
 * proves the loader seam until the Lisp runtime registers its own.
 */
public final class JavaProgramLoader implements ProgramLoader {

    static final String SCHEME = "java";

    private final ClassLoader classes;

    public JavaProgramLoader(ClassLoader classes) {
        this.classes = Objects.requireNonNull(classes, "classes");
    }

    @Override
    public String name() {
        return "java classes";
    }

    @Override
    public boolean accepts(ProgramImage image) {
        return SCHEME.equals(image.scheme());
    }

    @Override
    public Program load(ProgramImage image) throws ProgramLoadException {
        String name = image.location().substring(SCHEME.length() + 1);
        Class<?> type;
        try {
            type = Class.forName(name, true, classes);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ProgramLoadException("no class " + name + " (" + e + ")");
        }
        if (!Program.class.isAssignableFrom(type)) {
            throw new ProgramLoadException(name + " does not implement " + Program.class.getName());
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (Program) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new ProgramLoadException(name + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new ProgramLoadException(name + "'s constructor threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ProgramLoadException(name + " cannot be instantiated: " + e);
        }
    }
}
